//! Refusing private, loopback and link-local targets, so checking untrusted
//! documents from CI cannot be used to probe the CI machine's network.
//! Applied after DNS (a public name can resolve to 10.0.0.1) by a resolver
//! that filters addresses, and to literal IP hosts before any request.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};

/// Why a name could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    /// The name does not exist (NXDOMAIN): the site is gone.
    #[error("host {host} does not exist (DNS: {message})")]
    NotFound { host: String, message: String },
    /// DNS could not answer now (no network, server failure).
    #[error("DNS lookup of {host} failed: {message}")]
    Failed { host: String, message: String },
    /// Every address is private, loopback or link-local.
    #[error(
        "host {host} resolves only to private addresses ({addrs}); use --allow-private to check it"
    )]
    Private { host: String, addrs: String },
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // carrier-grade NAT
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80) // link local
        }
    }
}

/// DNS through the system resolver, keeping only public addresses unless
/// private ones are allowed.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| {
                    let message = e.to_string();
                    let gone = message.contains("not known")
                        || message.contains("No address associated")
                        || message.contains("nodename nor servname");
                    let err = if gone {
                        DnsError::NotFound {
                            host: host.clone(),
                            message,
                        }
                    } else {
                        DnsError::Failed {
                            host: host.clone(),
                            message,
                        }
                    };
                    Box::new(err) as Box<dyn std::error::Error + Send + Sync>
                })?;
            let all: Vec<SocketAddr> = found.collect();
            let allowed: Vec<SocketAddr> = all
                .iter()
                .copied()
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                let addrs: Vec<String> = all.iter().map(|a| a.ip().to_string()).collect();
                return Err(Box::new(DnsError::Private {
                    host,
                    addrs: addrs.join(", "),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.1",
            "172.16.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }
}
