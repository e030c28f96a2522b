"""Store tests: the contract on both stores, then each store's own machinery."""
