"""Server-rendered pages over the library: no script, charts rendered to SVG on the server."""
