"""`bulletin-qa serve`: the reading room in the browser and the JSON API, thin over one warm `Bulletin`.

    app.py       create_app(bulletin, token=, cors=): the FastAPI app, its error handlers, static page
    guard.py     Guard: one ASGI middleware for the safety rules (token, Host, rate, body size, headers)
    library.py   Library: the warm Bulletin's work on bounded lanes: reads side by side, LLM work
                 on its own lane (a slow model never holds up a search), writes one at a time
    api.py       the /api routes; their JSON is the CLI's --json (rendering/records.py)
    schemas.py   request bodies, with size limits
    static/      the page (index.html, app.js, app.css) and the API docs page: no external assets

FastAPI is an optional extra (`pip install 'bulletin-qa[serve]'`); nothing outside this package
imports it, and `bulletin-qa --help` does not.
"""
