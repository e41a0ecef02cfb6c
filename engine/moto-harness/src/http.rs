//! Tiny HTTP/1.1 servers on loopback for fault and recorded-response tests.
//! Each answers one request per connection (`Connection: close`), which the
//! SDK's client handles like any server closing an idle connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A request as received: the request line and headers, and the body.
pub struct Request {
    pub head: String,
    pub body: Vec<u8>,
}

impl Request {
    /// The request line, the JSON protocols' `X-Amz-Target` header (their
    /// request line and body do not name the operation) and the body as
    /// text: what matchers look in (`Action=DescribeVolumes`, `?policy HTTP`,
    /// `Logs_20140328.DescribeMetricFilters`).
    pub fn summary(&self) -> String {
        let mut lines = self.head.lines();
        let line = lines.next().unwrap_or_default();
        let target = lines
            .find(|l| l.to_ascii_lowercase().starts_with("x-amz-target:"))
            .map(|l| format!("{}\n", l.trim_end()))
            .unwrap_or_default();
        format!("{line}\n{target}{}", String::from_utf8_lossy(&self.body))
    }
}

fn read_request(stream: &mut BufReader<TcpStream>) -> std::io::Result<Option<Request>> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if stream.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    stream.read_exact(&mut body)?;
    Ok(Some(Request { head, body }))
}

/// A canned response.
#[derive(Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: &'static str,
    /// Bytes, not text: Smithy RPC v2 CBOR bodies are binary.
    pub body: Vec<u8>,
}

impl Canned {
    fn bytes(&self) -> Vec<u8> {
        if self.status == 0 {
            return Vec::new();
        }
        // An RPC v2 CBOR client checks that the response says its protocol.
        let protocol = if self.content_type == "application/cbor" {
            "smithy-protocol: rpc-v2-cbor\r\n"
        } else {
            ""
        };
        let mut out = format!(
            "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\n{protocol}x-amzn-requestid: pillar-test\r\nConnection: close\r\n\r\n",
            self.status,
            self.content_type,
            self.body.len(),
        )
        .into_bytes();
        out.extend_from_slice(&self.body);
        out
    }

    /// An AWS error in the EC2 protocol's shape.
    pub fn ec2_error(status: u16, code: &str) -> Canned {
        Canned {
            status,
            content_type: "text/xml",
            body: format!(
                "<Response><Errors><Error><Code>{code}</Code><Message>{code} (pillar test)</Message></Error></Errors><RequestID>pillar-test</RequestID></Response>"
            ).into_bytes(),
        }
    }

    /// An AWS error in the query (RDS, IAM, STS) protocol's shape.
    pub fn query_error(status: u16, code: &str) -> Canned {
        Canned {
            status,
            content_type: "text/xml",
            body: format!(
                "<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} (pillar test)</Message></Error><RequestId>pillar-test</RequestId></ErrorResponse>"
            ).into_bytes(),
        }
    }

    /// An AWS error in the JSON protocols' shape (CloudWatch Logs,
    /// CloudTrail, KMS).
    pub fn json_error(status: u16, code: &str) -> Canned {
        Canned {
            status,
            content_type: "application/x-amz-json-1.1",
            body: format!(r#"{{"__type":"{code}","message":"{code} (pillar test)"}}"#).into_bytes(),
        }
    }

    /// An AWS error in S3's REST-XML shape.
    pub fn s3_error(status: u16, code: &str) -> Canned {
        Canned {
            status,
            content_type: "application/xml",
            body: format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} (pillar test)</Message><RequestId>pillar-test</RequestId></Error>"
            ).into_bytes(),
        }
    }

    /// No answer at all: the connection is closed on the client.
    pub fn hang_up() -> Canned {
        Canned {
            status: 0,
            content_type: "",
            body: Vec::new(),
        }
    }

    /// A bare 500 with an HTML body, as a server that lacks an API answers.
    pub fn internal_error() -> Canned {
        Canned {
            status: 500,
            content_type: "text/html",
            body: b"<html><body>Internal Server Error (pillar test)</body></html>".to_vec(),
        }
    }
}

/// A server on a free loopback port; `handler` answers each request.
fn serve(handler: impl Fn(&Request) -> Vec<u8> + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let endpoint = format!("http://{}", listener.local_addr().expect("local addr"));
    let handler = Arc::new(handler);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || {
                let Ok(clone) = stream.try_clone() else {
                    return;
                };
                let mut reader = BufReader::new(clone);
                let mut writer = stream;
                if let Ok(Some(req)) = read_request(&mut reader) {
                    let _ = writer.write_all(&handler(&req));
                    let _ = writer.flush();
                }
            });
        }
    });
    endpoint
}

/// A rule of the fault proxy: requests whose summary contains `matching`
/// get `response` for the first `times` matches, then go through.
pub struct Fault {
    pub matching: String,
    pub times: usize,
    pub response: Canned,
}

/// A proxy in front of `upstream` that applies `faults`; returns its
/// endpoint and a counter of the faults it injected.
pub fn fault_proxy(upstream: &str, faults: Vec<Fault>) -> (String, Arc<AtomicUsize>) {
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let injected = Arc::new(AtomicUsize::new(0));
    let counter = injected.clone();
    let seen: Mutex<Vec<usize>> = Mutex::new(vec![0; faults.len()]);
    let endpoint = serve(move |req| {
        let summary = req.summary();
        for (i, f) in faults.iter().enumerate() {
            if summary.contains(&f.matching) {
                let mut seen = seen.lock().unwrap_or_else(|p| p.into_inner());
                if seen[i] < f.times {
                    seen[i] += 1;
                    counter.fetch_add(1, Ordering::SeqCst);
                    return f.response.bytes();
                }
            }
        }
        forward(&upstream, req).unwrap_or_else(|e| {
            Canned {
                status: 502,
                content_type: "text/plain",
                body: format!("proxy: {e}").into_bytes(),
            }
            .bytes()
        })
    });
    (endpoint, injected)
}

fn forward(upstream: &str, req: &Request) -> std::io::Result<Vec<u8>> {
    let mut out = TcpStream::connect(upstream)?;
    let mut head: String = req
        .head
        .lines()
        .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("connection:"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(&req.body)?;
    let mut response = Vec::new();
    out.read_to_end(&mut response)?;
    Ok(response)
}

/// A server replaying recorded responses: the first `(matching, response)`
/// whose text occurs in the request answers it; anything else gets an
/// `InvalidAction` error (so a collector records it as unsupported).
pub fn replay(recorded: Vec<(String, Canned)>) -> String {
    serve(move |req| {
        let summary = req.summary();
        recorded
            .iter()
            .find(|(m, _)| summary.contains(m.as_str()))
            .map(|(_, c)| c.bytes())
            .unwrap_or_else(|| Canned::query_error(400, "InvalidAction").bytes())
    })
}

/// An endpoint nothing listens on (the port was free a moment ago).
pub fn refused_endpoint() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    format!("http://{addr}")
}
