"""The Monitoring app (``app.MonitoringApp``): its tabs and forms, one module each."""
