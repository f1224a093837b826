"""The Qt map canvas (pyqtgraph): imports core and geo, never store or video."""
