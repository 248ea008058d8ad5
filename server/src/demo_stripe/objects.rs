//! Stripe objects as the demo returns and sends them: the shapes of Stripe's own API (Checkout
//! Session, Charge, Refund, Event), filled from the demo's records.

use super::{DemoSession, SessionStatus};
use serde_json::{json, Value};

/// A Checkout Session as `GET /v1/checkout/sessions/{id}` returns it.
pub fn session(s: &DemoSession) -> Value {
    let (status, payment_status) = match s.status {
        SessionStatus::Open => ("open", "unpaid"),
        SessionStatus::CompleteUnpaid => ("complete", "unpaid"),
        SessionStatus::Paid => ("complete", "paid"),
        SessionStatus::Failed => ("complete", "unpaid"),
        SessionStatus::Expired => ("expired", "unpaid"),
    };
    json!({
        "id": s.id,
        "object": "checkout.session",
        "adaptive_pricing": { "enabled": false },
        "after_expiration": null,
        "allow_promotion_codes": null,
        "amount_subtotal": s.amount,
        "amount_total": s.amount,
        "automatic_tax": { "enabled": false, "liability": null, "provider": null, "status": null },
        "billing_address_collection": null,
        "cancel_url": s.cancel_url,
        "client_reference_id": s.client_reference_id,
        "client_secret": null,
        "collected_information": null,
        "consent": null,
        "consent_collection": null,
        "created": s.created,
        "currency": s.currency,
        "currency_conversion": null,
        "custom_fields": [],
        "custom_text": {
            "after_submit": null,
            "shipping_address": null,
            "submit": null,
            "terms_of_service_acceptance": null
        },
        "customer": null,
        "customer_account": null,
        "customer_creation": "if_required",
        "customer_details": s.customer_email.as_ref().map(|email| json!({
            "address": null,
            "email": email,
            "name": null,
            "phone": null,
            "tax_exempt": "none",
            "tax_ids": [],
            "business_name": null,
            "individual_name": null
        })),
        "customer_email": s.customer_email,
        "discounts": [],
        "expires_at": s.expires_at,
        "integration_identifier": null,
        "invoice": null,
        "invoice_creation": null,
        "livemode": false,
        "locale": s.locale,
        "managed_payments": null,
        "metadata": s.metadata,
        "mode": "payment",
        "origin_context": null,
        "payment_intent": s.payment_intent,
        "payment_link": s.payment_link,
        "payment_method_collection": "if_required",
        "payment_method_configuration_details": null,
        "payment_method_options": {},
        "payment_method_types": s.payment_method_types,
        "payment_status": payment_status,
        "permissions": null,
        "phone_number_collection": { "enabled": false },
        "recovered_from": null,
        "saved_payment_method_options": null,
        "setup_intent": null,
        "shipping_address_collection": null,
        "shipping_cost": null,
        "shipping_options": [],
        "status": status,
        "submit_type": "donate",
        "subscription": null,
        "success_url": s.success_url,
        "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
        "ui_mode": "hosted_page",
        "url": (s.status == SessionStatus::Open).then(|| s.url.clone()),
        "wallet_options": null
    })
}

/// The charge behind a paid session, refunded by `refunded` so far.
pub fn charge(s: &DemoSession, charge_id: &str, refunded: i64) -> Value {
    json!({
        "id": charge_id,
        "object": "charge",
        "amount": s.amount,
        "amount_captured": s.amount,
        "amount_refunded": refunded,
        "application": null,
        "application_fee": null,
        "application_fee_amount": null,
        "balance_transaction": format!("txn_{}", &charge_id[3..]),
        "billing_details": {
            "address": {
                "city": null, "country": null, "line1": null,
                "line2": null, "postal_code": null, "state": null
            },
            "email": s.customer_email,
            "name": null,
            "phone": null,
            "tax_id": null
        },
        "calculated_statement_descriptor": "GIVING GALLERY",
        "captured": true,
        "created": s.created,
        "currency": s.currency,
        "customer": null,
        "description": s.product_name,
        "disputed": false,
        "failure_balance_transaction": null,
        "failure_code": null,
        "failure_message": null,
        "fraud_details": {},
        "livemode": false,
        "metadata": s.payment_intent_metadata,
        "on_behalf_of": null,
        "outcome": {
            "advice_code": null,
            "network_advice_code": null,
            "network_decline_code": null,
            "network_status": "approved_by_network",
            "reason": null,
            "risk_level": "normal",
            "seller_message": "Payment complete.",
            "type": "authorized"
        },
        "paid": true,
        "payment_intent": s.payment_intent,
        "payment_method": format!("pm_{}", &charge_id[3..]),
        "payment_method_details": null,
        "receipt_email": s.customer_email,
        "receipt_number": null,
        "receipt_url": null,
        "refunded": refunded >= s.amount,
        "refunds": {
            "object": "list",
            "data": [],
            "has_more": false,
            "url": format!("/v1/charges/{charge_id}/refunds")
        },
        "review": null,
        "shipping": null,
        "source_transfer": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": "succeeded",
        "transfer_data": null,
        "transfer_group": null
    })
}

/// What the demo's provider keeps of a payment: 3.4%, rounded to the nearest minor unit, at
/// least one.
pub fn demo_fee(amount: i64) -> i64 {
    ((amount * 34 + 500) / 1000).max(1)
}

/// The balance transaction of a paid session's charge, with the charge itself as its source
/// when `expanded` (Stripe's `expand[]=data.source`), else its id.
pub fn balance_transaction(
    s: &DemoSession,
    charge_id: &str,
    created: i64,
    expanded: bool,
) -> Value {
    let fee = demo_fee(s.amount);
    json!({
        "id": format!("txn_{}", &charge_id[3..]),
        "object": "balance_transaction",
        "amount": s.amount,
        "available_on": created + 2 * 24 * 60 * 60,
        "balance_type": "payments",
        "created": created,
        "currency": s.currency,
        "description": s.product_name,
        "exchange_rate": null,
        "fee": fee,
        "fee_details": [{
            "amount": fee,
            "application": null,
            "currency": s.currency,
            "description": "Stripe processing fees",
            "type": "stripe_fee"
        }],
        "net": s.amount - fee,
        "reporting_category": "charge",
        "source": if expanded { charge(s, charge_id, s.refunded) } else { Value::from(charge_id) },
        "status": "pending",
        "type": "charge"
    })
}

/// A refund of `amount` from a charge.
pub fn refund(id: &str, s: &DemoSession, charge_id: &str, amount: i64, created: i64) -> Value {
    json!({
        "id": id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": null,
        "charge": charge_id,
        "created": created,
        "currency": s.currency,
        "customer": null,
        "customer_account": null,
        "destination_details": null,
        "metadata": {},
        "payment_intent": s.payment_intent,
        "payment_method": null,
        "reason": "requested_by_customer",
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": "succeeded",
        "transfer_reversal": null
    })
}

/// An event wrapping an object, as Stripe posts it to a webhook endpoint.
pub fn event(id: &str, type_name: &str, object: Value, created: i64) -> Value {
    json!({
        "id": id,
        "object": "event",
        "api_version": stripe_shared::version::VERSION.as_str(),
        "created": created,
        "data": { "object": object },
        "livemode": false,
        "pending_webhooks": 1,
        "request": { "id": null, "idempotency_key": null },
        "type": type_name
    })
}

/// An error body in Stripe's format.
pub fn error(kind: &str, message: &str, param: Option<&str>) -> Value {
    json!({ "error": { "type": kind, "message": message, "param": param } })
}

/// A Price as `POST /v1/prices` returns it: one-time, with a fixed amount or one the customer
/// chooses.
pub fn price(id: &str, currency: &str, amount: Option<i64>, minimum: i64, created: i64) -> Value {
    json!({
        "id": id,
        "object": "price",
        "active": true,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "custom_unit_amount": amount.is_none().then(|| json!({
            "maximum": null,
            "minimum": minimum,
            "preset": null
        })),
        "livemode": false,
        "lookup_key": null,
        "metadata": {},
        "nickname": null,
        "product": super::new_id("prod"),
        "recurring": null,
        "tax_behavior": "unspecified",
        "tiers_mode": null,
        "transform_quantity": null,
        "type": "one_time",
        "unit_amount": amount,
        "unit_amount_decimal": amount.map(|a| a.to_string())
    })
}

/// A Payment Link as `POST /v1/payment_links` returns it.
pub fn payment_link(link: &super::DemoLink) -> Value {
    json!({
        "id": link.id,
        "object": "payment_link",
        "active": link.active,
        "after_completion": {
            "redirect": { "url": link.success_url },
            "type": "redirect"
        },
        "allow_promotion_codes": false,
        "application": null,
        "application_fee_amount": null,
        "application_fee_percent": null,
        "automatic_tax": { "enabled": false, "liability": null },
        "billing_address_collection": "auto",
        "consent_collection": null,
        "currency": link.currency,
        "custom_fields": [],
        "custom_text": {
            "after_submit": null,
            "shipping_address": null,
            "submit": null,
            "terms_of_service_acceptance": null
        },
        "customer_creation": "if_required",
        "inactive_message": null,
        "invoice_creation": null,
        "livemode": false,
        "metadata": link.metadata,
        "on_behalf_of": null,
        "payment_intent_data": null,
        "payment_method_collection": "always",
        "payment_method_types": null,
        "phone_number_collection": { "enabled": false },
        "restrictions": null,
        "shipping_address_collection": null,
        "shipping_options": [],
        "submit_type": "auto",
        "subscription_data": null,
        "tax_id_collection": { "enabled": false, "required": "never" },
        "transfer_data": null,
        "url": link.url
    })
}
