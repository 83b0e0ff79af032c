"""The per-address limit on sending feedback, on an app with rate limits switched on."""



def test_many_answers_from_one_address_are_slowed_down(limited_app, open_session, db_session):
    client = limited_app.test_client()
    url = f"/fi/sessions/{open_session.id}/feedback"
    codes = [client.post(url, data={}).status_code for _ in range(11)]
    assert codes[:10] == [400] * 10  # empty forms: refused, nothing stored
    assert codes[10] == 429
    assert client.get(url).status_code == 200  # reading the form is never limited
