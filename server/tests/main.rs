//! The server's integration tests, in one binary: each module starts the real server on port 0
//! against a fresh database and talks HTTP to it. One binary links the server once.

#[macro_use]
mod support;

mod ambassadors;
mod consent;
mod deploy;
mod donations;
mod email;
mod languages;
mod live;
mod matching;
mod organiser;
mod pages;
mod resources;
mod sharing;
mod spending;
mod staff;
mod storage;
mod surge;
mod transparency;
mod updates;
mod witnesses;
