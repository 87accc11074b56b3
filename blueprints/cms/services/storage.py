"""Where media bytes live: a local folder by default, S3-compatible object storage when configured.

Keys are ``<store_id>/<generated name>``; callers never pass anything a user typed. Files are served
through the app (``media_files`` routes) in both cases, so buckets stay private.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import current_app

S3_ERRORS = (BotoCoreError, ClientError)

KEY = re.compile(r"^[0-9]+/[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")


class StorageError(RuntimeError):
    """The storage could not do what was asked (unreachable, refused, full)."""


class MissingFile(StorageError):
    """No file under that key."""


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def open(self, key: str) -> BinaryIO:
        """A readable binary stream of the file (the caller closes it); MissingFile if absent."""

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""

    def exists(self, key: str) -> bool: ...


def check_key(key: str) -> str:
    if not KEY.match(key or "") or ".." in key:
        raise StorageError(f"Invalid media key {key!r}.")
    return key


class LocalStorage:
    """Files under a folder, one sub-folder per store; written atomically (temporary file, then rename)."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(f"Could not write {key}: {exc.strerror or exc}") from exc

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except FileNotFoundError as exc:
            raise MissingFile(key) from exc
        except OSError as exc:
            raise StorageError(f"Could not read {key}: {exc.strerror or exc}") from exc

    def read(self, key: str) -> bytes:
        with self.open(key) as file:
            return file.read()

    def delete(self, key: str) -> None:
        try:
            self.path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(f"Could not delete {key}: {exc.strerror or exc}") from exc

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


class S3Storage:
    """An S3-compatible bucket (AWS, MinIO, Scaleway, OVH …) through boto3; objects stay private."""

    def __init__(self, bucket: str, *, endpoint_url: str = "", region: str = "", access_key: str = "",
                 secret_key: str = ""):
        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        )

    @staticmethod
    def _is_missing(exc) -> bool:
        error = getattr(exc, "response", {}).get("Error", {})
        return str(error.get("Code")) in ("NoSuchKey", "404", "NotFound")

    def save(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type)
        except S3_ERRORS as exc:
            raise StorageError(f"Could not store {key} in bucket {self.bucket}: {exc}") from exc

    def open(self, key: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"]
        except S3_ERRORS as exc:
            if self._is_missing(exc):
                raise MissingFile(key) from exc
            raise StorageError(f"Could not read {key} from bucket {self.bucket}: {exc}") from exc

    def read(self, key: str) -> bytes:
        body = self.open(key)
        try:
            return body.read()
        finally:
            body.close()

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=check_key(key))
        except S3_ERRORS as exc:
            if not self._is_missing(exc):
                raise StorageError(f"Could not delete {key} from bucket {self.bucket}: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except S3_ERRORS as exc:
            if self._is_missing(exc):
                return False
            raise StorageError(f"Could not look up {key} in bucket {self.bucket}: {exc}") from exc
        return True


SETTINGS = ("MEDIA_S3_BUCKET", "MEDIA_S3_ENDPOINT_URL", "MEDIA_S3_REGION", "MEDIA_S3_ACCESS_KEY",
            "MEDIA_S3_SECRET_KEY", "MEDIA_FOLDER")


def get_storage() -> Storage:
    """The app's media storage, built once per configuration (a boto3 client is not cheap)."""
    config = current_app.config
    settings = tuple(config.get(name) or "" for name in SETTINGS)
    cache = current_app.extensions.setdefault("cms.media_storage", {})
    if settings not in cache:
        bucket, endpoint_url, region, access_key, secret_key, folder = settings
        if bucket:
            cache[settings] = S3Storage(bucket, endpoint_url=endpoint_url, region=region, access_key=access_key,
                                        secret_key=secret_key)
        else:
            cache[settings] = LocalStorage(folder or Path(current_app.instance_path) / "media")
    return cache[settings]
