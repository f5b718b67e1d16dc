"""Members' rights: access report (Art. 15), export (Art. 20), erasure (Art. 17).

Objection and withdrawal are consent decisions (`purposely.consent`); they reach snapshots
through `purposely.datasets.staleness`.
"""
