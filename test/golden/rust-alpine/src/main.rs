//! A minimal HTTP service using only the standard library: replace the handler with your own, or
//! move to a framework (axum, actix-web) once you add dependencies. It listens on all interfaces
//! inside the container; compose publishes it on 127.0.0.1 only (C04).
//!
//! `server healthcheck` is the image's HEALTHCHECK (D12): it GETs the health path on 127.0.0.1 and
//! exits 0 when the answer is 200 OK, 1 otherwise, so the image needs no curl or shell.
//!
//! Shutdown: std has no signal API, so SIGTERM and SIGINT end the process at once through libc's
//! `_exit`; a request in flight is cut off rather than drained. Without a handler the process, as
//! PID 1, would ignore SIGTERM and be killed after the stop timeout. For graceful draining use an
//! async runtime's signal support (e.g. `tokio::signal`) or the `signal-hook` crate.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::thread;
use std::time::Duration;

const PORT: u16 = 8080;
const HEALTH_PATH: &str = "/healthz";
const SERVICE: &str = "ingest";
/// A client that stops sending or reading is dropped, so it cannot hold a thread for long.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest request head read; anything longer is answered with 431.
const MAX_HEAD: usize = 8 * 1024;

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("healthcheck") {
        return healthcheck();
    }
    exit_on_signals();

    let listener = match TcpListener::bind((Ipv4Addr::UNSPECIFIED, PORT)) {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {PORT}: {err}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {PORT}");
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                // One thread per connection; if none can be started (e.g. the PIDs limit), the
                // connection is dropped and the server goes on.
                let spawned = thread::Builder::new().spawn(move || {
                    if let Err(err) = handle(stream) {
                        eprintln!("connection: {err}");
                    }
                });
                if let Err(err) = spawned {
                    eprintln!("cannot start a thread: {err}");
                }
            }
            Err(err) => eprintln!("accept: {err}"),
        }
    }
    ExitCode::SUCCESS
}

fn handle(mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let mut reader = BufReader::new(stream.try_clone()?).take(MAX_HEAD as u64);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read the rest of the head up to the blank line; the seed uses no headers or body.
    let mut complete = false;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        if line == "\r\n" || line == "\n" {
            complete = true;
            break;
        }
    }

    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    let path = target.split('?').next().unwrap_or("");
    let (status, content_type, body) = if !complete {
        ("431 Request Header Fields Too Large", "text/plain; charset=utf-8", "request head too large or incomplete\n".to_string())
    } else if method != "GET" && method != "HEAD" {
        ("405 Method Not Allowed", "text/plain; charset=utf-8", "method not allowed\n".to_string())
    } else if path == HEALTH_PATH {
        ("200 OK", "text/plain; charset=utf-8", "ok\n".to_string())
    } else {
        // SERVICE is a DNS label, so it needs no JSON escaping.
        ("200 OK", "application/json", format!("{{\"service\":\"{SERVICE}\"}}\n"))
    };
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if method != "HEAD" {
        response.push_str(&body);
    }
    stream.write_all(response.as_bytes())?;
    stream.flush()
}

fn healthcheck() -> ExitCode {
    let check = || -> std::io::Result<bool> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, PORT));
        let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(2))?;
        stream.set_read_timeout(Some(Duration::from_secs(2)))?;
        stream.set_write_timeout(Some(Duration::from_secs(2)))?;
        write!(stream, "GET {HEALTH_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
        let mut status_line = String::new();
        BufReader::new(stream).read_line(&mut status_line)?;
        Ok(status_line.split_whitespace().nth(1) == Some("200"))
    };
    match check() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("health check: not 200 OK");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("health check: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Exit at once on SIGTERM (docker stop, nomad stop) and SIGINT (Ctrl-C).
#[cfg(unix)]
fn exit_on_signals() {
    // Both functions are in the C library every Rust program on Unix links already.
    unsafe extern "C" {
        fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
        fn _exit(status: i32) -> !;
    }
    extern "C" fn on_signal(_signum: i32) {
        // _exit is async-signal-safe; std::process::exit is not.
        unsafe { _exit(0) }
    }
    const SIGINT: i32 = 2;
    const SIGTERM: i32 = 15;
    // SAFETY: on_signal only calls _exit, which is safe to call from a signal handler.
    unsafe {
        signal(SIGTERM, on_signal);
        signal(SIGINT, on_signal);
    }
}

#[cfg(not(unix))]
fn exit_on_signals() {}
