"""careerbench: pay and career decisions for AI/ML professionals from real data points.

The library is the product; the CLI, the REST API and the web app are thin layers over it.
Money is annual USD unless a name or docstring says otherwise.
"""

from __future__ import annotations

__version__ = "0.1.0"
