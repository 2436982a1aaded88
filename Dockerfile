# syntax=docker/dockerfile:1
# Multi-stage build: compile in the Rust image, run in a small Debian image as a non-root user.
#   docker build -t waypoint .
#   docker run -e DISCORD_TOKEN=... -v waypoint-data:/data waypoint

FROM rust:1-slim-bookworm AS build
WORKDIR /src
# Build the dependencies first so that source changes do not rebuild them.
COPY Cargo.toml Cargo.lock ./
RUN mkdir -p src benches/reference && echo "fn main() {}" > src/main.rs && touch src/lib.rs \
    && echo "fn main() {}" > benches/study.rs \
    && echo "fn main() {}" > benches/reference/bare_poise.rs \
    && cargo build --release --locked \
    && rm -rf src benches
COPY src ./src
COPY migrations ./migrations
COPY benches ./benches
# Compiled into the binary: the study tips and the heatmap's font.
COPY config/tips.toml ./config/tips.toml
COPY assets ./assets
RUN touch src/main.rs src/lib.rs benches/reference/bare_poise.rs \
    && cargo build --release --locked --bin waypoint

FROM debian:bookworm-slim AS runtime
# CA certificates for HTTPS to Discord; tini forwards SIGTERM so shutdown is clean.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tini \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 waypoint \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin waypoint \
    && mkdir -p /data /app/config \
    && chown 10001:10001 /data
WORKDIR /app
COPY --from=build /src/target/release/waypoint /usr/local/bin/waypoint
COPY config/roadmap.toml config/waypoint.example.toml ./config/
ENV WAYPOINT_DB_PATH=/data/waypoint.db \
    WAYPOINT_HTTP_ADDR=0.0.0.0:9100 \
    RUST_LOG=info,serenity=warn
VOLUME ["/data"]
# /healthz and /metrics (Prometheus).
EXPOSE 9100
# The numeric id, so the host and Kubernetes' runAsNonRoot can check it.
USER 10001:10001
# Healthy while the gateway is connected and the database answers; `waypoint health` asks
# /healthz itself, so the image needs no curl.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/waypoint", "health"]
# DISCORD_TOKEN comes from the environment at run time; it is never baked into the image.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/waypoint"]
