from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, **extra) -> int:
    """Queries run by one GET of `url` (which must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)
