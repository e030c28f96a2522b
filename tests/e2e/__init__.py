"""The real program in a real terminal (tmux) and a real browser."""
