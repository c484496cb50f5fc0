//! `aigw-mock --kind openai|anthropic|gemini [--listen ADDR] [--key KEY] [--threads N]`: a
//! mock upstream on its own, for the load benchmark and for trying the gateway by hand.
//! Prints `listening on http://ADDR` once bound; requests are not recorded.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(kind) = arg("--kind").as_deref().and_then(aigw_mock::Kind::parse) else {
        eprintln!(
            "usage: aigw-mock --kind openai|anthropic|gemini [--listen ADDR] [--key KEY] [--threads N]"
        );
        std::process::exit(2);
    };
    let listen = arg("--listen").unwrap_or_else(|| "127.0.0.1:0".into());
    let key = arg("--key").unwrap_or_else(|| "sk-mock".into());
    let threads = arg("--threads").and_then(|t| t.parse().ok()).unwrap_or(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let mock = aigw_mock::Mock::start_on(&listen, kind, &key, false).await;
        println!("listening on http://{}", mock.addr);
        std::future::pending::<()>().await;
    });
}
