"""Qt windows, dialogs, view-models and translations of the desktop console."""
