"""Uploaded images (provider logos and service photos): checked, stored, served.

An upload is accepted only if its first bytes are those of a PNG or a JPEG (what it
is called does not matter) and it is no bigger than ``UPLOAD_MAX_BYTES``. It is
stored under ``UPLOAD_DIR`` (default ``instance/uploads``) in ``logos/`` or
``photos/`` with a new random name and the extension its content calls for, so no
name a person chose ever reaches the file system or a URL.

``/uploads/<filename>`` serves a file only if the database refers to it from an
approved provider (its logo, or a photo of one of its services), or the viewer is a
member of the provider that owns it, or a council officer who may review that
provider. Anything else is a 404, whether or not the file exists.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from catalogue.models import (
    ProviderMember,
    ProviderOrganisation,
    Service,
    ServicePhoto,
    VettingStatus,
)
from marketplace.db import db
from marketplace.security import public

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MIME = {"png": "image/png", "jpg": "image/jpeg"}
FILENAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg)$")
LOGOS, PHOTOS = "logos", "photos"

bp = Blueprint("uploads", __name__, url_prefix="/uploads")


class UploadRefused(ValueError):
    """The file cannot be used; ``message`` says why in words a person can act on."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def image_kind(head: bytes) -> str | None:
    """'png' or 'jpg' from the file's first bytes; None for anything else."""
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(JPEG_MAGIC):
        return "jpg"
    return None


def size_words(max_bytes: int) -> str:
    if max_bytes >= 1024 * 1024:
        return f"{max_bytes / (1024 * 1024):g} MB"
    return f"{max(1, max_bytes // 1024)} KB"


def describe_field(field) -> int:
    """Give an image upload field its hint (type and size limit); return the limit."""
    max_bytes = current_app.config["UPLOAD_MAX_BYTES"]
    field.description = _("A PNG or JPEG image, up to %(size)s", size=size_words(max_bytes))
    return max_bytes


def read_image(storage, max_bytes: int) -> tuple[bytes, str]:
    """Read an uploaded file (a werkzeug FileStorage); return (bytes, extension).
    Raises UploadRefused when it is empty, too big, or not a PNG or JPEG."""
    data = storage.stream.read(max_bytes + 1)
    if not data:
        raise UploadRefused(_l("The selected file is empty"))
    if len(data) > max_bytes:
        raise UploadRefused(_l("The selected file must be smaller than %(size)s",
                               size=size_words(max_bytes)))
    kind = image_kind(data[:16])
    if kind is None:
        raise UploadRefused(_l("The selected file must be a PNG or JPEG image"))
    return data, kind


def folder(kind: str) -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    base = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    return base / kind


def store(kind: str, data: bytes, extension: str) -> str:
    """Write the image under a new random name; return that name."""
    target = folder(kind)
    target.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{extension}"
    (target / name).write_bytes(data)
    return name


def discard(kind: str, filename: str | None) -> None:
    """Delete a stored file (after the commit that stopped referring to it)."""
    if filename and FILENAME.match(filename):
        (folder(kind) / filename).unlink(missing_ok=True)


def _owner_of(filename: str) -> tuple[str, ProviderOrganisation] | None:
    provider = db.session.scalar(select(ProviderOrganisation).where(
        ProviderOrganisation.logo_filename == filename))
    if provider is not None:
        return LOGOS, provider
    provider = db.session.scalar(
        select(ProviderOrganisation).join(Service).join(ServicePhoto)
        .where(ServicePhoto.filename == filename))
    if provider is not None:
        return PHOTOS, provider
    return None


def may_see_unapproved(provider: ProviderOrganisation) -> bool:
    """Members of the provider, and council staff who may review it."""
    if not current_user.is_authenticated:
        return False
    is_member = db.session.scalar(select(ProviderMember.id).where(
        ProviderMember.provider_id == provider.id, ProviderMember.user_id == current_user.id))
    if is_member is not None:
        return True
    from catalogue.vetting.access import may_review

    return may_review(provider)


@bp.get("/<filename>")
@public
def serve(filename: str):
    if not FILENAME.match(filename):
        abort(404)
    found = _owner_of(filename)
    if found is None:
        abort(404)
    kind, provider = found
    if provider.status is not VettingStatus.APPROVED and not may_see_unapproved(provider):
        abort(404)
    if not (folder(kind) / filename).is_file():
        abort(404)
    return send_from_directory(folder(kind), filename, mimetype=MIME[filename[-3:]],
                               max_age=3600)
