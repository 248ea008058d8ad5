//! Staff accounts and their sessions, as a browser holds them: the session cookie is kept by
//! hand, because test servers call themselves https (Secure cookies) while tests speak http.

use super::{TestApp, PUBLIC_URL};
use app::staff::accounts::{self, Password, StaffEmail};
use app::staff::Role;

/// The password every test account has.
pub const PASSWORD: &str = "correct horse battery staple";

/// Creates an account with [`PASSWORD`].
pub async fn create(app: &TestApp, email: &str, role: Role) {
    let email = StaffEmail::parse(email).expect("a valid email");
    let password = Password::parse_new(PASSWORD.to_owned()).expect("a valid password");
    accounts::create(&app.db, &email, "Mei Lin", role, password)
        .await
        .expect("creating a staff account");
}

/// The `gg_staff=…` pair a response sets, if it sets one.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookie(response).map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

/// The whole `Set-Cookie` value for the staff session, attributes included.
pub fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("gg_staff="))
        .map(str::to_owned)
}

/// The client staff requests go through: one connection per request. The server closes a
/// connection whose request it answered before reading the whole body (a refused upload, a
/// cross-site post), and a pooled client could otherwise send the next request down it.
pub fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .user_agent(super::BROWSER)
            .build()
            .expect("an HTTP client")
    })
}

/// A sign-in as the form posts it, from the site's own page, with a session cookie if given.
pub async fn sign_in(
    app: &TestApp,
    email: &str,
    password: &str,
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = client()
        .post(app.url("/api/staff/sign-in"))
        .header("origin", PUBLIC_URL)
        .form(&[("email", email), ("password", password), ("next", "/staff")]);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("the test server answers")
}

/// Signs in with [`PASSWORD`] and returns the session cookie.
pub async fn signed_in(app: &TestApp, email: &str) -> String {
    let response = sign_in(app, email, PASSWORD, None).await;
    assert!(
        response.status().is_success() || response.status().is_redirection(),
        "signing in: {}",
        response.status()
    );
    session_cookie(&response).expect("a session cookie")
}

/// A request as a staff member's browser sends it from the site's pages.
pub fn request(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    cookie: Option<&str>,
) -> reqwest::RequestBuilder {
    let mut request = client()
        .request(method, app.url(path))
        .header("origin", PUBLIC_URL);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request
}

/// The staff page at `path` as the member with `cookie` gets it.
pub async fn page(app: &TestApp, cookie: &str, path: &str) -> String {
    request(app, reqwest::Method::GET, path, Some(cookie))
        .send()
        .await
        .expect("answer")
        .text()
        .await
        .expect("a page")
}

/// Posts the form `pairs` to `path` as a browser sends a form with a file: multipart, with
/// `bytes` as its file field `field`, as the staff member with `cookie` (none: anonymous). The
/// answer's status.
pub async fn post_with_file(
    app: &TestApp,
    cookie: Option<&str>,
    path: &str,
    pairs: &[(String, String)],
    (field, bytes): (&'static str, Vec<u8>),
) -> u16 {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(field);
    let form = pairs.iter().fold(
        reqwest::multipart::Form::new().part(field, part),
        |form, (k, v)| form.text(k.clone(), v.clone()),
    );
    request(app, reqwest::Method::POST, path, cookie)
        .multipart(form)
        .send()
        .await
        .expect("answer")
        .status()
        .as_u16()
}
