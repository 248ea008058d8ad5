//! Share images: what a donor posts so friends can scan their way to the campaign.

pub mod qr;
