from django.template.loader import render_to_string


def test_server_error_page_renders_without_a_request_context():
    """Django renders 500.html with an empty context: it must not depend on one."""
    page = render_to_string("500.html")

    assert '<h1 class="h3 mb-3">Something went wrong on our side</h1>' in page
    assert "Answers you saved before are kept" in page
