//! Name resolution that can be trusted with a verdict, and refusal of
//! private targets.
//!
//! *Trust.* A host that "does not exist" makes a link `dead`, but a resolver
//! on a machine without network says that of every name. So a "no such
//! name" answer only counts once a name that must exist (a parent domain of
//! the host, else a canary such as `example.com`) resolves through the same
//! resolver; otherwise DNS is unusable and the run says so instead of
//! calling anything dead.
//!
//! *Refusal.* Checking untrusted documents from CI must not probe the CI
//! machine's network: private, loopback, link-local and other
//! special-purpose addresses (IANA registries) are refused after DNS (a
//! public name can resolve to 10.0.0.1), for literal IP hosts before any
//! request, and — since a proxy resolves names itself — by resolving the
//! target here first whenever a proxy is in use.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

/// Why a name could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    /// The name does not exist (NXDOMAIN) and DNS was shown to work: the site is gone.
    #[error("host {host} does not exist (DNS: {message})")]
    NotFound {
        /// The name looked up.
        host: String,
        /// The resolver's answer.
        message: String,
    },
    /// DNS resolves nothing at all (no network, broken resolver): no verdict
    /// can be drawn from it.
    #[error("network unavailable: DNS cannot resolve {host} nor {canary} ({message})")]
    Unavailable {
        /// The name looked up.
        host: String,
        /// The name that should have resolved.
        canary: String,
        /// The resolver's answer.
        message: String,
    },
    /// DNS could not answer now (a server failure).
    #[error("DNS lookup of {host} failed: {message}")]
    Failed {
        /// The name looked up.
        host: String,
        /// The resolver's answer.
        message: String,
    },
    /// Every address is private, loopback, link-local or otherwise special.
    #[error(
        "host {host} resolves only to private addresses ({addrs}); use --allow-private to check it"
    )]
    Private {
        /// The name looked up.
        host: String,
        /// What it resolved to.
        addrs: String,
    },
}

/// What a resolver said about a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// An authoritative-looking "no such name" (EAI_NONAME, NXDOMAIN).
    NoSuchName(String),
    /// Anything else: a timeout, a server failure, no resolver.
    Failed(String),
}

/// The future of a lookup.
pub type Lookup = Pin<Box<dyn Future<Output = Result<Vec<IpAddr>, LookupError>> + Send>>;

/// Turns host names into addresses. The system resolver by default; tests
/// and embedders may supply their own.
pub trait NameLookup: Send + Sync + std::fmt::Debug {
    /// The addresses of `host`.
    fn lookup(&self, host: &str) -> Lookup;
}

/// The operating system's resolver (`getaddrinfo`).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemLookup;

impl NameLookup for SystemLookup {
    fn lookup(&self, host: &str) -> Lookup {
        let host = host.to_string();
        Box::pin(async move {
            match tokio::net::lookup_host((host.as_str(), 0)).await {
                Ok(found) => Ok(found.map(|a| a.ip()).collect()),
                Err(e) => {
                    let message = e.to_string();
                    let gone = message.contains("not known")
                        || message.contains("No address associated")
                        || message.contains("nodename nor servname");
                    Err(if gone {
                        LookupError::NoSuchName(message)
                    } else {
                        LookupError::Failed(message)
                    })
                }
            }
        })
    }
}

/// Names that exist as long as DNS works, used to tell a vanished site
/// from a dead resolver.
pub const DEFAULT_CANARIES: [&str; 2] = ["example.com", "iana.org"];

/// A resolver whose "no such name" can be trusted.
#[derive(Debug)]
pub struct Dns {
    lookup: Arc<dyn NameLookup>,
    canaries: Vec<String>,
}

impl Dns {
    /// A resolver over `lookup`, confirming failures with `canaries`. The
    /// canaries are asked again at each failure (not once per run), so DNS
    /// that breaks midway is noticed.
    pub fn new(lookup: Arc<dyn NameLookup>, canaries: Vec<String>) -> Self {
        Dns { lookup, canaries }
    }

    /// The addresses of `host`, or why there are none.
    pub async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, DnsError> {
        match self.lookup.lookup(host).await {
            Ok(addrs) => Ok(addrs),
            // A temporary failure (EAI_AGAIN, SERVFAIL, a local resource)
            // is the resolver's, not the site's, when nothing resolves.
            Err(LookupError::Failed(message)) => match self.confirm(host).await {
                Ok(()) => Err(DnsError::Failed {
                    host: host.to_string(),
                    message,
                }),
                Err((canary, _)) => Err(DnsError::Unavailable {
                    host: host.to_string(),
                    canary,
                    message,
                }),
            },
            Err(LookupError::NoSuchName(message)) => match self.confirm(host).await {
                Ok(()) => Err(DnsError::NotFound {
                    host: host.to_string(),
                    message,
                }),
                Err((canary, why)) => Err(DnsError::Unavailable {
                    host: host.to_string(),
                    canary,
                    message: why,
                }),
            },
        }
    }

    /// Whether DNS works: a parent domain of `host` resolves, else a canary.
    async fn confirm(&self, host: &str) -> Result<(), (String, String)> {
        for parent in parent_domains(host) {
            if self
                .lookup
                .lookup(parent)
                .await
                .is_ok_and(|a| !a.is_empty())
            {
                return Ok(());
            }
        }
        let mut last = (
            "a canary name".to_string(),
            "no canary configured".to_string(),
        );
        for c in &self.canaries {
            match self.lookup.lookup(c).await {
                Ok(a) if !a.is_empty() => return Ok(()),
                Ok(_) => last = (c.clone(), "no addresses".into()),
                Err(LookupError::NoSuchName(m) | LookupError::Failed(m)) => last = (c.clone(), m),
            }
        }
        Err(last)
    }
}

/// `a.b.example.co.uk` → `b.example.co.uk`, `example.co.uk`, `co.uk`: the
/// names above a host with at least two labels.
fn parent_domains(host: &str) -> impl Iterator<Item = &str> {
    let host = host.trim_end_matches('.');
    host.match_indices('.')
        .map(move |(i, _)| &host[i + 1..])
        .filter(|p| p.contains('.'))
}

/// Whether an address is on the public internet: not private, loopback,
/// link-local, shared (CGNAT), benchmarking, documentation, multicast,
/// reserved, NAT64 or another special-purpose block of the IANA registries.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let o = v4.octets();
    let special = v4.is_private()
        || v4.is_loopback()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_documentation()
        || v4.is_multicast()
        || o[0] == 0
        || (o[0] == 100 && (64..128).contains(&o[1])) // shared address space (CGNAT)
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 192 && o[1] == 88 && o[2] == 99) // 6to4 relay anycast
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18.0.0/15
        || o[0] >= 240; // reserved
    !special
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    if let Some(v4) = v6.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let seg = v6.segments();
    let special = v6.is_loopback()
        || v6.is_unspecified()
        || v6.is_multicast()
        || seg[..6] == [0; 6] // IPv4-compatible (deprecated) ::a.b.c.d
        || (seg[0] == 0x64 && seg[1] == 0xff9b) // NAT64 64:ff9b::/96 and 64:ff9b:1::/48
        || (seg[0] == 0x100 && seg[1..4] == [0, 0, 0]) // discard-only 100::/64
        || (seg[0] == 0x2001 && seg[1] < 0x200) // IETF protocol assignments 2001::/23 (Teredo…)
        || (seg[0] == 0x2001 && seg[1] == 0xdb8) // documentation
        || seg[0] == 0x2002 // 6to4
        || (seg[0] == 0x3fff && seg[1] < 0x1000) // documentation 3fff::/20
        || seg[0] == 0x5f00 // segment routing
        || (seg[0] & 0xfe00) == 0xfc00 // unique local
        || (seg[0] & 0xffc0) == 0xfe80; // link local
    !special
}

/// The resolver reqwest uses: trusted "no such name", and only public
/// addresses unless private ones are allowed. Names in `exempt` (the
/// proxy's own host: the operator chose it) are resolved as they are.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    /// The resolver.
    pub dns: Arc<Dns>,
    /// Private addresses are allowed (`--allow-private`).
    pub allow_private: bool,
    /// Host names never refused.
    pub exempt: Vec<String>,
}

impl GuardedResolver {
    /// Refuses a host with any non-public address: a proxy resolves the
    /// name itself and may pick that one (or another, by then).
    pub async fn vetted_strictly(&self, host: &str) -> Result<(), DnsError> {
        let all = self.dns.resolve(host).await?;
        let private: Vec<String> = all
            .iter()
            .filter(|ip| !is_public(**ip))
            .map(IpAddr::to_string)
            .collect();
        if self.allow_private || (private.is_empty() && !all.is_empty()) {
            return Ok(());
        }
        Err(DnsError::Private {
            host: host.to_string(),
            addrs: private.join(", "),
        })
    }

    /// The public addresses of `host` (all of them when private ones are
    /// allowed or the host is exempt).
    pub async fn vetted(&self, host: &str) -> Result<Vec<IpAddr>, DnsError> {
        let all = self.dns.resolve(host).await?;
        let open = self.allow_private || self.exempt.iter().any(|e| e.eq_ignore_ascii_case(host));
        let allowed: Vec<IpAddr> = all
            .iter()
            .copied()
            .filter(|ip| open || is_public(*ip))
            .collect();
        if allowed.is_empty() {
            let addrs: Vec<String> = all.iter().map(IpAddr::to_string).collect();
            return Err(DnsError::Private {
                host: host.to_string(),
                addrs: addrs.join(", "),
            });
        }
        Ok(allowed)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        Box::pin(async move {
            let addrs = this
                .vetted(name.as_str())
                .await
                .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            let addrs: Vec<SocketAddr> =
                addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)).collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
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
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "198.18.0.1",
            "198.19.255.254",
            "192.0.0.8",
            "224.0.0.1",
            "240.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::a00:1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2001::1",
            "ff02::1",
            "::127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "198.20.0.1", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn parents_of_a_host() {
        let p: Vec<&str> = parent_domains("a.b.example.co.uk").collect();
        assert_eq!(p, ["b.example.co.uk", "example.co.uk", "co.uk"]);
        assert_eq!(parent_domains("example.com").count(), 0);
    }

    #[derive(Debug)]
    struct Table(Vec<(&'static str, &'static str)>);

    impl NameLookup for Table {
        fn lookup(&self, host: &str) -> Lookup {
            let found = self
                .0
                .iter()
                .find(|(h, _)| *h == host)
                .map(|(_, ip)| ip.parse().unwrap());
            Box::pin(async move {
                found
                    .map(|ip| vec![ip])
                    .ok_or_else(|| LookupError::NoSuchName("Name or service not known".into()))
            })
        }
    }

    #[tokio::test]
    async fn no_such_name_counts_only_when_dns_works() {
        let working = Dns::new(
            Arc::new(Table(vec![("example.com", "93.184.216.34")])),
            vec!["example.com".into()],
        );
        assert!(matches!(
            working.resolve("gone.example.org").await,
            Err(DnsError::NotFound { .. })
        ));
        let offline = Dns::new(Arc::new(Table(vec![])), vec!["example.com".into()]);
        let err = offline.resolve("www.rfa.org").await.unwrap_err();
        assert!(matches!(err, DnsError::Unavailable { .. }), "{err}");
        assert!(err.to_string().starts_with("network unavailable"), "{err}");
        // The parent domain resolving is enough, whatever the canaries say.
        let parent = Dns::new(Arc::new(Table(vec![("rfa.org", "1.2.3.4")])), vec![]);
        assert!(matches!(
            parent.resolve("gone.rfa.org").await,
            Err(DnsError::NotFound { .. })
        ));
    }
}
