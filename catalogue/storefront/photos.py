"""Photos of a service: upload (PNG or JPEG, with a description) and remove."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalogue import uploads
from catalogue.models import ServicePhoto
from catalogue.storefront import bp
from catalogue.storefront.access import service_for_member
from catalogue.storefront.operations import StorefrontRefused, add_photo, check_photo_room
from catalogue.storefront.service_form import PhotoForm
from marketplace.accounts.forms import ActionForm
from marketplace.accounts.roles import Role
from marketplace.db import db
from marketplace.security import roles


@bp.route("/services/<int:service_id>/photos", methods=["GET", "POST"])
@roles(Role.PROVIDER_STAFF)
def photos(service_id: int):
    service, _member = service_for_member(service_id)
    form = PhotoForm()
    max_bytes = uploads.describe_field(form.photo)
    if form.validate_on_submit():
        try:
            check_photo_room(service)
            if not form.photo.data:
                raise uploads.UploadRefused(_("Choose a PNG or JPEG image to upload"))
            data, extension = uploads.read_image(form.photo.data, max_bytes)
        except (uploads.UploadRefused, StorefrontRefused) as exc:
            form.photo.errors = [str(exc.message)]
        else:
            filename = uploads.store(uploads.PHOTOS, data, extension)
            add_photo(service, filename, form.alt_text.data)
            db.session.commit()
            flash(_("The photo has been added."), "success")
            return redirect(url_for("storefront.photos", service_id=service.id))
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("storefront/photos.html", form=form, service=service,
                           provider=service.provider), status


@bp.post("/services/<int:service_id>/photos/<int:photo_id>/remove")
@roles(Role.PROVIDER_STAFF)
def remove_photo(service_id: int, photo_id: int):
    service, _member = service_for_member(service_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    photo = db.session.get(ServicePhoto, photo_id)
    if photo is None:
        abort(404)
    if photo.service_id != service.id:
        abort(403)
    filename = photo.filename
    service.photos.remove(photo)
    db.session.commit()
    uploads.discard(uploads.PHOTOS, filename)
    flash(_("The photo has been removed."), "success")
    return redirect(url_for("storefront.photos", service_id=service.id))
