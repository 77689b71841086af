from __future__ import annotations


def test_a_signed_in_member_gets_their_profile_from_the_api(as_alice, alice):
    response = as_alice.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == alice.email
