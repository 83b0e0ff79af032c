from remote_groups import create_app


def test_staff_pages_need_sign_in(client):
    response = client.get("/fi/staff/")
    assert response.status_code == 302
    assert "/fi/staff/login" in response.headers["Location"]


def test_sign_in_with_right_password_and_refusal_with_wrong(client, make):
    make.user(email="aino@example.com", password="oikea salasana", first_name="Aino")
    bad = client.post("/fi/staff/login", data={"email": "aino@example.com",
                                                "password": "väärä"})
    assert "Sähköpostiosoite tai salasana on väärin." in bad.get_data(as_text=True)
    good = client.post("/fi/staff/login", data={"email": "AINO@example.com ",
                                                 "password": "oikea salasana"})
    assert good.status_code == 302
    assert "Hei, Aino" in client.get("/fi/staff/").get_data(as_text=True)


def test_sign_in_never_redirects_off_site(client, make):
    make.user(email="x@example.com", password="pw123456")
    response = client.post("/fi/staff/login?next=//evil.example/",
                           data={"email": "x@example.com", "password": "pw123456"})
    assert response.headers["Location"] == "/fi/staff/"


def test_forms_refuse_posts_without_a_csrf_token(app, tmp_path):
    strict = create_app({
        "RG_MODE": "test", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    })
    response = strict.test_client().post("/sv/staff/login", data={"email": "a@b.fi",
                                                                  "password": "x"})
    assert response.status_code == 400
    assert "Formuläret har gått ut" in response.get_data(as_text=True)


def test_pages_forbid_external_resources(client):
    csp = client.get("/fi/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_huge_ids_in_any_url_are_not_found_never_a_server_error(app, client):
    """Every route with an id answers 404 for an id no database column can hold."""
    huge = "9" * 30
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "int" not in str(rule.rule):
            continue
        path = str(rule.rule).replace("<lang>", "fi")
        for argument in rule.arguments - {"lang"}:
            path = path.replace(f"<int:{argument}>", huge)
        if "<" in path:
            continue
        assert client.get(path).status_code in (302, 404), path
        checked += 1
    assert checked >= 5
