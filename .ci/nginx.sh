#!/usr/bin/env bash
# nginx (Debian) in front of gunicorn, from a generated conf, as the current user on 127.0.0.1.
# Serves /static/ (collected, pre-compressed by WhiteNoise: gzip_static, a year's cache) and the
# image files under /media/ (a month's cache); document files are never served from /media/ (they
# go through Wagtail's /documents/ view, which checks privacy). gzip for text responses, body
# size limits (public forms small, the admin's uploads larger), X-Forwarded-For / -Proto and the
# request id passed on (set TRUSTED_PROXY_DEPTH=1 for the app behind it).
#
#   NGINX_DIR=/tmp/wfc-nginx NGINX_PORT=8080 NGINX_UPSTREAM=127.0.0.1:8000 \
#   NGINX_STATIC_ROOT=data/static NGINX_MEDIA_ROOT=data/media bash .ci/nginx.sh start|stop|conf
#
# TLS: with NGINX_TLS_CERT and NGINX_TLS_KEY (PEM files) a second server block listens on
# NGINX_TLS_PORT (default 8443) with TLS 1.2/1.3 and HTTP/2, same locations; the plain port then
# redirects to it. Production puts the real certificate there and sets DJANGO_SECURE_SSL_REDIRECT.
set -euo pipefail
DIR="${NGINX_DIR:-/tmp/wfc-nginx}"
PORT="${NGINX_PORT:-8080}"
LISTEN="${NGINX_LISTEN:-127.0.0.1}"
UPSTREAM="${NGINX_UPSTREAM:-127.0.0.1:8000}"
STATIC_ROOT="$(realpath -m "${NGINX_STATIC_ROOT:-data/static}")"
MEDIA_ROOT="$(realpath -m "${NGINX_MEDIA_ROOT:-data/media}")"
TLS_PORT="${NGINX_TLS_PORT:-8443}"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

locations() {
  cat <<CONF
    client_max_body_size 2m;
    location /static/ {
      alias $STATIC_ROOT/;
      gzip_static on;
      expires 1y;
      add_header Cache-Control "public, immutable";
      add_header X-Content-Type-Options nosniff;
    }
    location ~ ^/media/((?:original_)?images/.+)\$ {
      alias $MEDIA_ROOT/\$1;
      expires 30d;
      add_header X-Content-Type-Options nosniff;
    }
    location /media/ { return 404; }
    location /admin/ {
      client_max_body_size 60m;
      proxy_pass http://wfc_web;
    }
    location / {
      proxy_pass http://wfc_web;
    }
CONF
}

conf() {
  mkdir -p "$DIR/tmp" "$DIR/logs"
  {
    cat <<CONF
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/logs/error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $DIR/logs/access.log;
  client_body_temp_path $DIR/tmp/body;
  proxy_temp_path $DIR/tmp/proxy;
  fastcgi_temp_path $DIR/tmp/fastcgi;
  uwsgi_temp_path $DIR/tmp/uwsgi;
  scgi_temp_path $DIR/tmp/scgi;
  sendfile on;
  server_tokens off;
  keepalive_timeout 30;
  gzip on;
  gzip_vary on;
  gzip_proxied any;
  gzip_min_length 1024;
  gzip_types text/css application/javascript application/json image/svg+xml text/plain text/xml application/xml;
  proxy_set_header Host \$host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  proxy_set_header X-Request-ID \$request_id;
  proxy_read_timeout 60s;
  proxy_connect_timeout 5s;
  upstream wfc_web { server $UPSTREAM; keepalive 16; }
CONF
    if [ -n "${NGINX_TLS_CERT:-}" ] && [ -n "${NGINX_TLS_KEY:-}" ]; then
      cat <<CONF
  server {
    listen $LISTEN:$PORT;
    return 301 https://\$host:$TLS_PORT\$request_uri;
  }
  server {
    listen $LISTEN:$TLS_PORT ssl;
    http2 on;
    ssl_certificate $NGINX_TLS_CERT;
    ssl_certificate_key $NGINX_TLS_KEY;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:wfc_tls:10m;
$(locations)
  }
CONF
    else
      cat <<CONF
  server {
    listen $LISTEN:$PORT;
$(locations)
  }
CONF
    fi
    echo "}"
  } > "$DIR/nginx.conf"
}

case "${1:-}" in
  conf) conf; cat "$DIR/nginx.conf" ;;
  start)
    if [ ! -x "$NGINX" ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
      NGINX="$(command -v nginx)"
    fi
    conf
    "$NGINX" -t -q -c "$DIR/nginx.conf" -p "$DIR"
    if [ -f "$DIR/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx.pid")" 2>/dev/null; then
      "$NGINX" -c "$DIR/nginx.conf" -p "$DIR" -s reload
    else
      "$NGINX" -c "$DIR/nginx.conf" -p "$DIR"
    fi
    echo "http://127.0.0.1:$PORT"
    ;;
  stop)
    if [ -f "$DIR/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx.pid")" 2>/dev/null; then
      "$NGINX" -c "$DIR/nginx.conf" -p "$DIR" -s quit || true
    fi
    ;;
  *) echo "usage: $0 start|stop|conf" >&2; exit 2 ;;
esac
