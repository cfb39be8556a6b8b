//! The real binary as child processes: `migrasearch import` run to the end
//! and `migrasearch serve` kept up while the HTTP load runs, each watched
//! for its peak memory. A child is killed when its guard drops, so an error
//! or a panic never leaves a server behind.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Longest an import may take before the benchmark gives up on it.
const IMPORT_LIMIT: Duration = Duration::from_secs(3600);

/// Peak resident set size of a live process in KiB (`VmHWM`), if readable.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Kills and reaps the child when dropped.
pub struct Guard(Child);

impl Guard {
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// Whether the child has already ended (a server that failed to start).
    pub fn exited(&mut self) -> bool {
        !matches!(self.0.try_wait(), Ok(None))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(bin: &Path, args: &[&str], log: &Path) -> Result<Guard> {
    let out = File::create(log).with_context(|| format!("create {}", log.display()))?;
    let child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .spawn()
        .with_context(|| format!("start {}", bin.display()))?;
    Ok(Guard(child))
}

pub struct Imported {
    pub seconds: f64,
    pub peak_rss_kib: u64,
}

/// Runs `migrasearch import --data DATA CORPUS`, polling its peak memory:
/// the last value read before it exits is the peak (VmHWM only grows).
pub fn import(bin: &Path, data: &Path, corpus: &Path, log: &Path) -> Result<Imported> {
    let args = ["import", "--data", path_str(data)?, path_str(corpus)?];
    let started = Instant::now();
    let mut guard = spawn(bin, &args, log)?;
    let mut peak = 0;
    loop {
        if let Some(status) = guard.0.try_wait()? {
            if !status.success() {
                bail!("import failed ({status}); see {}", log.display());
            }
            break;
        }
        peak = peak_rss_kib(guard.pid()).unwrap_or(peak);
        if started.elapsed() > IMPORT_LIMIT {
            bail!("import still running after {IMPORT_LIMIT:?}; killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(Imported {
        seconds: started.elapsed().as_secs_f64(),
        peak_rss_kib: peak,
    })
}

/// Starts `migrasearch serve` on a free loopback port; the caller waits for
/// `/healthz`.
pub fn serve(bin: &Path, data: &Path, log: &Path) -> Result<(Guard, String)> {
    // Ask the kernel for a free port, then hand it to the server: a small
    // race, harmless on a benchmark machine.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let guard = spawn(bin, &["serve", "--data", path_str(data)?, "--addr", &addr], log)?;
    Ok((guard, format!("http://{addr}")))
}

/// The `migrasearch` binary beside this example's own directory
/// (`target/release/examples/bench` → `target/release/migrasearch`).
pub fn default_binary() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .context("no target directory")?;
    Ok(dir.join("migrasearch"))
}

/// Disk usage of a directory tree in bytes (allocated blocks, as `du`).
pub fn disk_usage(dir: &Path) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let meta = entry.metadata()?;
        total += if meta.is_dir() {
            disk_usage(&entry.path())?
        } else {
            meta.blocks() * 512
        };
    }
    Ok(total)
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().context("paths must be UTF-8")
}
