"""Logos and photos: only real PNG or JPEG images, not too big, stored under a random
name, and served only when the provider is approved or to those who may see it."""

from __future__ import annotations

import io
import re

import pytest

from catalogue.models import ServicePhoto, VettingStatus
from marketplace.accounts.roles import Role
from tests.conftest import csrf_token, sign_in
from tests.functional.storefront_helpers import (
    JPEG,
    PNG,
    action,
    errors,
    make_provider,
    make_service,
)


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


@pytest.fixture()
def owner(make_user):
    return make_user(Role.PROVIDER_STAFF, name="Olive Owner")


def _upload(client, url, field, data: bytes, filename: str, **extra):
    return client.post(url, data={field: (io.BytesIO(data), filename),
                                  "csrf_token": csrf_token(client, url), **extra},
                       content_type="multipart/form-data")


def test_a_logo_is_stored_under_a_random_name_and_shown_to_the_owner(
        client, db_session, owner, upload_dir):
    provider = make_provider(db_session, owner)
    sign_in(client, owner)
    response = _upload(client, f"/provider/{provider.id}/logo", "logo", PNG, "../../evil.png")
    assert response.status_code == 302
    provider = db_session.get(type(provider), provider.id)
    name = provider.logo_filename
    assert re.fullmatch(r"[0-9a-f]{32}\.png", name)
    assert (upload_dir / "logos" / name).read_bytes() == PNG
    served = client.get(f"/uploads/{name}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert served.data == PNG


def test_a_file_that_is_not_an_image_is_refused_whatever_it_is_called(
        client, db_session, owner, upload_dir):
    provider = make_provider(db_session, owner)
    sign_in(client, owner)
    for data, filename in ((b"<html><script>alert(1)</script></html>", "logo.png"),
                           (b"GIF89a\x01\x00\x01\x00", "logo.jpg"), (b"", "empty.png")):
        response = _upload(client, f"/provider/{provider.id}/logo", "logo", data, filename)
        assert response.status_code == 400, filename
        assert errors(response)[0] in ("The selected file must be a PNG or JPEG image",
                                       "Choose a PNG or JPEG image to upload",
                                       "The selected file is empty")
    assert db_session.get(type(provider), provider.id).logo_filename is None
    assert not upload_dir.exists() or not any(upload_dir.rglob("*.*"))


def test_a_file_over_the_upload_limit_is_refused(app, client, db_session, owner, monkeypatch,
                                                 upload_dir):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    provider = make_provider(db_session, owner)
    sign_in(client, owner)
    big = PNG + b"\x00" * 2000
    response = _upload(client, f"/provider/{provider.id}/logo", "logo", big, "big.png")
    assert response.status_code == 400
    assert "The selected file must be smaller than 1 KB" in errors(response)
    service = make_service(db_session, provider)
    response = _upload(client, f"/provider/services/{service.id}/photos", "photo", big,
                       "big.png", alt_text="A garden")
    assert response.status_code == 400
    assert "The selected file must be smaller than 1 KB" in errors(response)
    assert not upload_dir.exists() or not any(upload_dir.rglob("*.*"))


def test_files_of_a_provider_not_yet_approved_are_served_only_to_its_members_and_the_council(
        app, client, db_session, owner, make_user):
    provider = make_provider(db_session, owner)
    service = make_service(db_session, provider)
    sign_in(client, owner)
    _upload(client, f"/provider/{provider.id}/logo", "logo", PNG, "logo.png")
    response = _upload(client, f"/provider/services/{service.id}/photos", "photo", JPEG,
                       "me.jpeg", alt_text="Our team outside the office")
    assert response.status_code == 302
    logo = db_session.get(type(provider), provider.id).logo_filename
    photo = db_session.get(type(service), service.id).photos[0]
    assert photo.alt_text == "Our team outside the office" and photo.filename.endswith(".jpg")
    assert client.get(f"/uploads/{photo.filename}").mimetype == "image/jpeg"

    visitor = app.test_client()
    other = app.test_client()
    sign_in(other, make_user(Role.PROVIDER_STAFF))
    officer = app.test_client()
    sign_in(officer, make_user(Role.COUNCIL_OFFICER))
    for name in (logo, photo.filename):
        assert visitor.get(f"/uploads/{name}").status_code == 404
        assert other.get(f"/uploads/{name}").status_code == 404
        assert officer.get(f"/uploads/{name}").status_code == 200
    provider = db_session.get(type(provider), provider.id)
    provider.status = VettingStatus.APPROVED
    db_session.commit()
    for name in (logo, photo.filename):
        assert visitor.get(f"/uploads/{name}").status_code == 200
    for junk in ("../../etc/passwd", "0" * 32 + ".png", "x.svg", "%2e%2e%2fsecret"):
        assert visitor.get(f"/uploads/{junk}").status_code == 404, junk


def test_a_photo_needs_a_description_and_removing_it_deletes_the_file(
        client, db_session, owner, upload_dir):
    provider = make_provider(db_session, owner)
    service = make_service(db_session, provider)
    sign_in(client, owner)
    url = f"/provider/services/{service.id}/photos"
    response = _upload(client, url, "photo", PNG, "garden.png", alt_text="")
    assert response.status_code == 400 and "Describe the photo" in errors(response)
    assert db_session.query(ServicePhoto).count() == 0
    _upload(client, url, "photo", PNG, "garden.png", alt_text="Raised vegetable beds")
    photo = db_session.query(ServicePhoto).one()
    assert (upload_dir / "photos" / photo.filename).exists()
    assert "Raised vegetable beds" in client.get(
        f"/provider/services/{service.id}/preview").get_data(as_text=True)
    action(client, f"{url}/{photo.id}/remove", token_from=url)
    assert db_session.query(ServicePhoto).count() == 0
    assert not (upload_dir / "photos" / photo.filename).exists()


def test_a_photo_of_another_service_cannot_be_removed_through_this_one(
        client, db_session, owner, make_user):
    provider = make_provider(db_session, owner)
    mine = make_service(db_session, provider, name="Mine")
    rival = make_provider(db_session, make_user(Role.PROVIDER_STAFF), name="Rival")
    theirs = make_service(db_session, rival, name="Theirs")
    theirs.photos.append(ServicePhoto(filename="a" * 32 + ".png", alt_text="Theirs"))
    db_session.commit()
    photo_id = theirs.photos[0].id
    sign_in(client, owner)
    response = action(client, f"/provider/services/{mine.id}/photos/{photo_id}/remove")
    assert response.status_code == 403
    assert action(client, f"/provider/services/{theirs.id}/photos/{photo_id}/remove"
                  ).status_code == 403
    assert db_session.get(ServicePhoto, photo_id) is not None


def test_removing_a_logo_deletes_the_file(client, db_session, owner, upload_dir):
    provider = make_provider(db_session, owner)
    sign_in(client, owner)
    url = f"/provider/{provider.id}/logo"
    _upload(client, url, "logo", JPEG, "logo.jpg")
    name = db_session.get(type(provider), provider.id).logo_filename
    _upload(client, url, "logo", PNG, "logo2.png")  # replacing removes the old file
    assert not (upload_dir / "logos" / name).exists()
    name = db_session.get(type(provider), provider.id).logo_filename
    action(client, f"{url}/remove", token_from=url)
    assert db_session.get(type(provider), provider.id).logo_filename is None
    assert not (upload_dir / "logos" / name).exists()
