//! The operator's HTTP endpoint (`WAYPOINT_HTTP_ADDR`, off when unset):
//! - `GET /healthz`: 200 while the gateway is connected and the database answers, else 503
//!   with the reason (for Docker's HEALTHCHECK and orchestrators);
//! - `GET /metrics`: Prometheus text.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use crate::background::{Services, Stop, Task};
use crate::store::Store;
use crate::telemetry::Telemetry;

/// How long the database may take to answer a health check.
const DATABASE_LIMIT: Duration = Duration::from_secs(2);

#[derive(Clone)]
struct Shared {
    telemetry: Telemetry,
    store: Store,
}

pub struct HttpEndpoint {
    pub listener: TcpListener,
    pub telemetry: Telemetry,
}

async fn healthz(State(shared): State<Shared>) -> impl IntoResponse {
    if !shared.telemetry.gateway_connected() {
        return (StatusCode::SERVICE_UNAVAILABLE, "gateway: not connected\n");
    }
    if matches!(
        tokio::time::timeout(DATABASE_LIMIT, shared.store.ping()).await,
        Ok(true)
    ) {
        (StatusCode::OK, "ok\n")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database: not answering\n")
    }
}

async fn metrics(State(shared): State<Shared>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        shared.telemetry.render(),
    )
}

#[async_trait::async_trait]
impl Task for HttpEndpoint {
    fn name(&self) -> &'static str {
        "http endpoint"
    }

    async fn run(self: Box<Self>, services: Services, mut stop: Stop) {
        let app = Router::new()
            .route("/healthz", get(healthz))
            .route("/metrics", get(metrics))
            .with_state(Shared {
                telemetry: self.telemetry.clone(),
                store: services.store.clone(),
            });
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(async move { stop.requested().await })
            .await;
        if let Err(e) = served {
            tracing::warn!(error = %e, "the HTTP endpoint stopped");
        }
    }
}
