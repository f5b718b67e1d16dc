"""purposely: every use of personal data asks one gate.

The public Python API is small: open a store, ask the gate, ingest data.

    from purposely.store import Store
    from purposely.gate import Gate

    store = Store.open("sqlite:///purposely.db")
    answer = Gate(store).ask("train_ai_system", caller="notebook")
"""

__version__ = "0.1.0"
