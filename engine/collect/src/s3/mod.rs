//! S3: buckets with their configuration, and the account-level public
//! access block. Global listing, per-bucket reads in the bucket's region.

mod account;
mod bucket;

use std::collections::HashMap;
use std::sync::Mutex;

use aws_config::Region;
use aws_sdk_s3::Client;
use futures_util::StreamExt;

use crate::account::Shared;
use crate::gap::Failure;
use crate::part::Part;

pub(crate) async fn collect(shared: &Shared) -> Part {
    let mut part = Part::default();
    account::account_public_access_block(shared, &mut part).await;
    let clients = Clients::new(shared);
    let scope = shared.scope.global();
    let home = clients.get(
        shared
            .config
            .region()
            .map(|r| r.as_ref())
            .unwrap_or("us-east-1"),
    );

    // No max_buckets: without it S3 returns every bucket, and some
    // endpoints lose buckets when asked to page.
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = home
            .list_buckets()
            .set_continuation_token(token.clone())
            .send()
            .await;
        match out {
            Ok(out) => {
                names.extend(
                    out.buckets()
                        .iter()
                        .filter_map(|b| b.name().map(str::to_owned)),
                );
                token = out.continuation_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
            Err(e) => {
                part.gaps.push(Failure::of(&e).gap(
                    &scope,
                    "s3:ListAllMyBuckets",
                    "aws_s3_bucket",
                    None,
                ));
                return part;
            }
        }
    }
    let locations = Mutex::new(HashMap::<String, Option<String>>::new());
    let results = futures_util::stream::iter(names)
        .map(|name| bucket::bucket(shared, &clients, &home, &locations, name))
        .buffered(shared.fan_out)
        .collect::<Vec<_>>()
        .await;
    for p in results {
        part.absorb(p);
    }
    part
}

/// One S3 client per region, built on demand (a bucket must be read in its
/// own region: S3 answers a wrong-region request with a redirect).
struct Clients<'a> {
    shared: &'a Shared,
    by_region: Mutex<HashMap<String, Client>>,
}

impl<'a> Clients<'a> {
    fn new(shared: &'a Shared) -> Self {
        Clients {
            shared,
            by_region: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, region: &str) -> Client {
        let mut map = self.by_region.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(region.to_owned())
            .or_insert_with(|| {
                let config = self
                    .shared
                    .config
                    .to_builder()
                    .region(Region::new(region.to_owned()))
                    .build();
                // Path-style against an endpoint override: emulators and
                // proxies cannot resolve bucket-name host names.
                let conf = aws_sdk_s3::config::Builder::from(&config)
                    .force_path_style(self.shared.endpoint.is_some())
                    .build();
                Client::from_conf(conf)
            })
            .clone()
    }
}

/// `GetBucketLocation`: an empty constraint is us-east-1, `EU` is eu-west-1.
async fn location(client: &Client, bucket: &str) -> Result<String, Failure> {
    let out = client
        .get_bucket_location()
        .bucket(bucket)
        .send()
        .await
        .map_err(|e| Failure::of(&e))?;
    let c = out.location_constraint().map(|c| c.as_str()).unwrap_or("");
    Ok(match c {
        "" => "us-east-1".to_owned(),
        "EU" => "eu-west-1".to_owned(),
        other => other.to_owned(),
    })
}
