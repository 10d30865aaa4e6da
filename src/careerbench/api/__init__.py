"""The REST API: JSON over HTTP, a thin layer over the library (see ``app.create_app``)."""
