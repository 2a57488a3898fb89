//! Live co-editing speed on loopback, with the real sync server (`scripts/sync-server`,
//! started here on a free port unless `--server ws://HOST:PORT` names one running):
//!
//! 1. edit latency: two headless clients in one room holding a synthetic canvas (1,000
//!    cards by default); one changes a card's title, and the time until the other's
//!    document shows it is measured, in both directions, for each of N edits;
//! 2. joining: a room holding 20,000 cards (pushed first, which is timed too); the time from
//!    `Client::join` until the client holds the whole canvas, and the same for `pull`.
//!
//! Run: `cargo run --release --example live_latency -- [cards] [edits] [join cards]
//! [--server ws://HOST:PORT]` (defaults 1000, 50, 20000). Prints every figure, then the
//! medians and worst cases that BENCHMARKS.md records.

use stagecraft::edit::Command;
use stagecraft::live::{Client, RoomAddress, pull, push};
use stagecraft::synth::{SynthSpec, canvas};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(120);

fn start_server(dir: &std::path::Path) -> (Child, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/sync-server");
    let child = Process::new(script)
        .args(["--port", &port.to_string(), "--data"])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("scripts/sync-server starts");
    let deadline = Instant::now() + Duration::from_secs(300);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, port)
}

fn stats(name: &str, mut v: Vec<Duration>) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name}: n={} median {:.1} ms, p95 {:.1} ms, max {:.1} ms, min {:.1} ms",
        v.len(),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(v[v.len() - 1]),
        ms(v[0])
    );
}

/// `from` changes card `i`'s title; the time until `to` shows it.
fn one_edit(from: &mut Client, to: &mut Client, i: usize, text: &str) -> Duration {
    let mut card = from.doc().touchpoints[i].clone();
    card.title = text.to_owned();
    let id = card.id.clone();
    let start = Instant::now();
    from.apply(Command::UpdateTouchpoint(Box::new(card)))
        .expect("edit");
    loop {
        from.pump();
        to.pump();
        if to.doc().touchpoint(&id).is_some_and(|t| t.title == text) {
            return start.elapsed();
        }
        assert!(start.elapsed() < DEADLINE, "the edit never arrived");
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn main() {
    let mut numbers = Vec::new();
    let mut server_arg = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--server" {
            server_arg = args.next();
        } else if let Ok(n) = a.parse::<usize>() {
            numbers.push(n);
        }
    }
    let cards = numbers.first().copied().unwrap_or(1_000);
    let edits = numbers.get(1).copied().unwrap_or(50);
    let join_cards = numbers.get(2).copied().unwrap_or(20_000);
    let dir = std::env::temp_dir().join(format!("stagecraft-live-latency-{}", std::process::id()));
    let (mut child, server) = match server_arg {
        Some(s) => (None, s),
        None => {
            let (c, port) = start_server(&dir.join("rooms"));
            (Some(c), format!("ws://127.0.0.1:{port}"))
        }
    };
    let room = |name: &str| -> RoomAddress {
        RoomAddress::new(&server, &format!("{name}-{}", std::process::id())).expect("address")
    };

    // 1. Edit latency.
    let address = room("latency");
    let doc = canvas(&SynthSpec::new(cards, 7));
    let mut a = Client::contribute(address.clone(), "A", doc.clone());
    assert!(a.wait_until(DEADLINE, |c| c.contribution.is_some()));
    let mut b = Client::join(address, "B");
    assert!(b.wait_until(DEADLINE, stagecraft::live::Client::joined));
    let deadline = Instant::now() + DEADLINE;
    while a.doc() != b.doc() {
        a.pump();
        b.pump();
        assert!(Instant::now() < deadline, "the clients did not converge");
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(b.doc().touchpoints.len(), cards);
    let (mut ab, mut ba) = (Vec::new(), Vec::new());
    for i in 0..edits {
        let k = (i * 37) % cards;
        ab.push(one_edit(&mut a, &mut b, k, &format!("A's edit {i}")));
        ba.push(one_edit(
            &mut b,
            &mut a,
            (k + 1) % cards,
            &format!("B's edit {i}"),
        ));
    }
    println!("edit latency, {cards} cards, {edits} edits each way:");
    stats("  A -> B", ab.clone());
    stats("  B -> A", ba.clone());
    ab.extend(ba);
    stats("  both", ab);
    drop(a);
    drop(b);

    // 2. Joining a big room.
    let address = room("join");
    let big = canvas(&SynthSpec::new(join_cards, 11));
    let start = Instant::now();
    push(&address, big.clone(), None, DEADLINE).expect("push");
    println!(
        "push of {join_cards} cards into a new room: {:.2} s",
        start.elapsed().as_secs_f64()
    );
    let mut joins = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let mut c = Client::join(address.clone(), "Joiner");
        assert!(c.wait_until(DEADLINE, stagecraft::live::Client::joined));
        joins.push(start.elapsed());
        assert_eq!(c.doc().touchpoints.len(), join_cards);
    }
    stats(&format!("join a room of {join_cards} cards"), joins);
    let mut pulls = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let pulled = pull(&address, DEADLINE).expect("pull");
        pulls.push(start.elapsed());
        assert_eq!(pulled.touchpoints, big.touchpoints);
    }
    stats(&format!("pull a room of {join_cards} cards"), pulls);

    if let Some(c) = &mut child {
        // SIGTERM would be gentler; the rooms are temporary anyway.
        let _ = c.kill();
        let _ = c.wait();
    }
    let _ = std::fs::remove_dir_all(&dir);
}
