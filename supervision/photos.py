"""Checking and storing an inspection photo: at most 5 MB, and really a JPEG or PNG (read by Pillow,
not trusted from the file name or the browser's content type). Stored under MEDIA_ROOT with a name of
our own; served only through supervision.views.findings.photo."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


def checked_photo(upload: UploadedFile) -> UploadedFile:
    """``upload`` renamed to <uuid>.<jpg|png> when it is a JPEG or PNG of at most 5 MB; else a Chinese
    ValidationError for the form to show beside the field."""
    if upload.size is not None and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("照片不能超过 5 MB（所选文件 %(size).1f MB）。") % {"size": upload.size / 1024 / 1024},
            code="too_big",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("所选文件不是可识别的图片，请上传 JPEG 或 PNG 格式的照片。"), code="not_image"
        ) from None
    if kind not in EXTENSIONS:
        raise ValidationError(
            _("只能上传 JPEG 或 PNG 格式的照片（所选文件为 %(kind)s）。") % {"kind": kind}, code="bad_type"
        )
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}"
    return upload


def content_type_of(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
