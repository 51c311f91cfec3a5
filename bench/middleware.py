"""Bench-only: the number of SQL queries a request ran, as the response header ``X-Bench-SQL``.

Only bench/settings.py installs it; production never counts (the wrapper costs a function call per query)."""

from django.db import connections


class SQLCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [conn.execute_wrapper(counter) for conn in connections.all()]
        for w in wrappers:
            w.__enter__()
        try:
            response = self.get_response(request)
            # Streaming and lazy bodies are rendered by now for everything the bench measures.
        finally:
            for w in reversed(wrappers):
                w.__exit__(None, None, None)
        response["X-Bench-SQL"] = str(count)
        return response
