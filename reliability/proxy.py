"""A real TLS reverse proxy in front of the server: Debian's nginx (`make nginx` installs it) with a
self-signed certificate made by openssl for the run, in a directory of its own."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

NGINX = Path("/usr/sbin/nginx")
CONFIG = """\
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {directory}/access.log;
    # Bodies and responses stay in memory: nginx's workers may run as another user.
    client_body_buffer_size 128k;
    proxy_max_temp_file_size 0;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {directory}/proxy.crt;
        ssl_certificate_key {directory}/proxy.key;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


class TlsProxy:
    """nginx terminating TLS on a loopback port and forwarding to the server over plain http."""

    def __init__(self, directory: Path, port: int, upstream_port: int) -> None:
        self.directory = directory
        self.port = port
        self.upstream_port = upstream_port
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = f"https://127.0.0.1:{port}"
        self.certificate = directory / "proxy.crt"

    def start(self) -> None:
        """Make the certificate, write the configuration, start nginx and wait for its port."""
        if not NGINX.exists():
            raise RuntimeError("nginx is missing: `make nginx` installs it")
        self.directory.mkdir(parents=True, exist_ok=True)
        for temporary in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.directory / temporary).mkdir(exist_ok=True)
        command = [
            shutil.which("openssl") or "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(self.directory / "proxy.key"), "-out", str(self.certificate),
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 (openssl)
        configuration = self.directory / "nginx.conf"
        configuration.write_text(
            CONFIG.format(directory=self.directory, port=self.port, upstream=self.upstream_port)
        )
        self.process = subprocess.Popen(  # noqa: S603 (Debian's nginx, our configuration)
            [str(NGINX), "-p", str(self.directory), "-c", str(configuration)],
            stdout=subprocess.DEVNULL,
            stderr=(self.directory / "stderr.log").open("w"),
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.directory / "stderr.log").read_text()
                raise RuntimeError(f"nginx exited: {log[-500:]}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not open its port")

    def stop(self) -> None:
        """Stop nginx (SIGQUIT, a graceful stop), killing it if it lingers."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
