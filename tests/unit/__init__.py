"""The domain and the code's shape, without an app running."""
