//! Security headers on every answer: a Content-Security-Policy on pages, `nosniff`, a referrer
//! policy, and framing refused except for the embeddable widget.
//!
//! Pages run no script but the site's own files and the inline scripts the server writes into
//! them (Leptos' hydration and resource data, the widget's script), and those carry a nonce that
//! is new for every answer. Wasm needs `'wasm-unsafe-eval'` to be compiled. No inline style
//! attribute is written anywhere, so styles are held to the site's files and nonced elements.

use axum::extract::Request;
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// The nonce of one answer's inline scripts and styles, as the request carries it.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    fn generate() -> CspNonce {
        // Without a random source the nonce is empty, and inline scripts simply do not run.
        CspNonce(app::ids::random_hex::<16>().unwrap_or_default())
    }
}

/// Where the embeddable widget lives: the only pages other sites may frame.
const EMBED_PREFIX: &str = "/embed/";

/// The policy of a page answered with `nonce` (none: no inline script or style at all);
/// `framable` pages may sit in any site's frame.
pub fn policy(nonce: Option<&str>, framable: bool) -> String {
    let ancestors = if framable { "*" } else { "'none'" };
    let inline = nonce.map_or_else(String::new, |n| format!(" 'nonce-{n}'"));
    // No form-action: the adopt form is redirected on to the payment provider's checkout,
    // whose address depends on the provider, and browsers check redirects against it.
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; \
         style-src 'self'{inline}; img-src 'self' data: blob:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors {ancestors}"
    )
}

/// Gives the request its nonce and the answer its headers. A page that set its own policy
/// keeps it.
pub async fn headers(mut request: Request, next: Next) -> Response {
    // Only a page read can be a page; a webhook or a form post is spared the random draw.
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    let nonce = reads.then(CspNonce::generate);
    if let Some(nonce) = &nonce {
        request.extensions_mut().insert(nonce.clone());
    }
    let framable = request.uri().path().starts_with(EMBED_PREFIX);
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(
        REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if !framable {
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if is_html && !headers.contains_key(CONTENT_SECURITY_POLICY) {
        // A page answering a post (a refusal, say) runs no inline script at all.
        let nonce = nonce.as_ref().map(|n| n.0.as_str());
        if let Ok(value) = HeaderValue::from_str(&policy(nonce, framable)) {
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Hands a page's nonce to Leptos, so the inline scripts it writes carry the one the answer's
/// policy names. Called as the pages' extra context, where the request is known.
pub fn leptos_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}
