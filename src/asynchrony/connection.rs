//! The lecture's `async with Connection(...) as conn`, done the Rust way: a
//! scope that opens a real TCP connection, runs the body with it (sending
//! and receiving concurrently), and always closes it with an async goodbye,
//! whether the body succeeded, returned an error or panicked.
//!
//! Lecture section *asyncio*, "a more realistic example": `__aenter__`
//! awaits `get_conn`, `__aexit__` awaits `conn.close()`, and inside the
//! block `put_data` and `get_data` run as two tasks at once. Here the
//! connection is a loopback socket to a small in-process [`EchoServer`],
//! not a simulated sleep, so the server can testify that the goodbye came.
//!
//! Rust has no async `Drop`: a destructor cannot await, so an async close
//! cannot live there. [`scope`] is `__aexit__`: it awaits the body inside a
//! panic catcher ([`std::panic::catch_unwind`] around each poll, with
//! `AssertUnwindSafe`: the body's future is dropped, never polled again,
//! after a panic), then awaits [`Connection::close`], then returns the
//! body's result or resumes its panic. What it cannot cover: a scope whose
//! own future is dropped half-way (cancelled, e.g. by a `timeout`); then the
//! socket is closed by `Drop`, abruptly, without the goodbye.
//!
//! Costs: one extra round of polling indirection; the close is awaited even
//! when the caller only wants to propagate an error.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use thiserror::Error;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

/// The line a connection sends before it closes (the async part of close).
pub const GOODBYE: &str = "BYE";

/// What the echo server saw, in order, per connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerEvent {
    /// A client connected.
    Opened,
    /// A line came in and was echoed back.
    Echoed(String),
    /// The client said goodbye (its close ran).
    Goodbye,
    /// The client's side of the socket closed (end of file).
    Closed,
}

/// A line-echo server on a loopback port, run by the current tokio runtime;
/// it reports what each connection did. Stops when dropped.
#[derive(Debug)]
pub struct EchoServer {
    addr: SocketAddr,
    events: mpsc::UnboundedReceiver<ServerEvent>,
    accept: tokio::task::JoinHandle<()>,
}

impl EchoServer {
    /// Binds `127.0.0.1:0` and starts accepting.
    ///
    /// # Errors
    /// If the loopback port cannot be bound.
    pub async fn start() -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (tx, events) = mpsc::unbounded_channel();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let tx = tx.clone();
                tokio::spawn(serve(stream, tx));
            }
        });
        Ok(EchoServer { addr, events, accept })
    }

    /// Where to connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The events of one connection, up to and including [`ServerEvent::Closed`]
    /// (or whatever came within `patience`, if it never closes).
    pub async fn until_closed(&mut self, patience: Duration) -> Vec<ServerEvent> {
        let mut seen = Vec::new();
        let collect = async {
            while let Some(event) = self.events.recv().await {
                let closed = event == ServerEvent::Closed;
                seen.push(event);
                if closed {
                    break;
                }
            }
        };
        // A client that never closes must fail a check, not hang it.
        let _ = tokio::time::timeout(patience, collect).await;
        seen
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Echoes each line of one connection until it closes.
async fn serve(stream: TcpStream, events: mpsc::UnboundedSender<ServerEvent>) {
    let _ = events.send(ServerEvent::Opened);
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    loop {
        match lines.next_line().await {
            Ok(Some(line)) if line == GOODBYE => {
                let _ = events.send(ServerEvent::Goodbye);
            }
            Ok(Some(line)) => {
                let echoed = write.write_all(format!("{line}\n").as_bytes()).await;
                let _ = events.send(ServerEvent::Echoed(line));
                if echoed.is_err() {
                    break;
                }
            }
            // End of file, or a reset: either way the client is gone.
            Ok(None) | Err(_) => break,
        }
    }
    let _ = events.send(ServerEvent::Closed);
}

/// The sending half of a [`Connection`] (`put_data`).
#[derive(Debug)]
pub struct Sender {
    write: OwnedWriteHalf,
}

/// The receiving half of a [`Connection`] (`get_data`).
#[derive(Debug)]
pub struct Receiver {
    read: BufReader<OwnedReadHalf>,
}

impl Sender {
    /// Sends one line.
    ///
    /// # Errors
    /// If the socket fails.
    pub async fn put_data(&mut self, line: &str) -> io::Result<()> {
        self.write.write_all(format!("{line}\n").as_bytes()).await
    }
}

impl Receiver {
    /// Receives one line (without its newline).
    ///
    /// # Errors
    /// If the socket fails, or closes before a whole line came.
    pub async fn get_data(&mut self) -> io::Result<String> {
        let mut line = String::new();
        if self.read.read_line(&mut line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

/// An open connection: send and receive concurrently through its halves,
/// `tokio::join!(conn.sender.put_data(..), conn.receiver.get_data())`.
#[derive(Debug)]
pub struct Connection {
    pub sender: Sender,
    pub receiver: Receiver,
}

impl Connection {
    /// `get_conn(host, port)`: connects.
    ///
    /// # Errors
    /// If nothing listens at `addr`.
    pub async fn open(addr: SocketAddr) -> io::Result<Self> {
        let (read, write) = TcpStream::connect(addr).await?.into_split();
        Ok(Connection {
            sender: Sender { write },
            receiver: Receiver {
                read: BufReader::new(read),
            },
        })
    }

    /// `conn.close()`: says goodbye and shuts the socket down (the server
    /// sees end of file), then drops it.
    ///
    /// # Errors
    /// If the socket fails while closing (it is dropped, and so closed, anyway).
    pub async fn close(mut self) -> io::Result<()> {
        self.sender.put_data(GOODBYE).await?;
        self.sender.write.shutdown().await
    }
}

/// Why a [`scope`] failed.
#[derive(Debug, Error)]
pub enum ScopeError<E> {
    /// The connection could not be opened (the body never ran).
    #[error("could not connect: {0}")]
    Open(#[source] io::Error),
    /// The body returned an error (the connection was closed after it).
    #[error("the body failed: {0}")]
    Body(E),
    /// The body succeeded, but closing failed.
    #[error("could not close the connection: {0}")]
    Close(#[source] io::Error),
}

/// `async with Connection(addr) as conn: body(conn)`: opens, runs `body`,
/// and closes with [`Connection::close`] on every way out of the body: a
/// value, an error, or a panic (resumed after the close).
///
/// # Errors
/// [`ScopeError::Open`] if the connection cannot be opened,
/// [`ScopeError::Body`] with the body's error, [`ScopeError::Close`] if
/// the body succeeded and the close failed.
pub async fn scope<T, E>(
    addr: SocketAddr,
    body: impl AsyncFnOnce(&mut Connection) -> Result<T, E>,
) -> Result<T, ScopeError<E>> {
    let mut conn = Connection::open(addr).await.map_err(ScopeError::Open)?;
    let outcome = CatchUnwind(Box::pin(body(&mut conn))).await;
    let closed = conn.close().await;
    match outcome {
        Err(panic) => panic::resume_unwind(panic),
        Ok(Err(e)) => Err(ScopeError::Body(e)),
        Ok(Ok(value)) => closed.map(|()| value).map_err(ScopeError::Close),
    }
}

/// Polls a future inside `catch_unwind`: a panic becomes `Err(payload)`,
/// and the future is never polled again.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.0.as_mut();
        match panic::catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

/// One round trip inside a scope: sends `line` and receives its echo
/// concurrently, as the lecture's `send_task` and `receive_task`.
///
/// # Errors
/// As [`scope`].
pub async fn round_trip(addr: SocketAddr, line: &str) -> Result<String, ScopeError<io::Error>> {
    scope(addr, async |conn: &mut Connection| {
        let (sent, got) = tokio::join!(conn.sender.put_data(line), conn.receiver.get_data());
        sent?;
        got
    })
    .await
}
