"""The front desk's side: actions, exports, the queue's rows, progress, upkeep."""
