//! The one backend-selection shape every domain crate shares.
//!
//! Each domain crate declares its `Backend` enum with [`backends!`](crate::backends) and
//! implements [`Select`] for it. That gives every crate the same surface:
//!
//! - `Backend::ALL`: every backend the crate knows, compiled in or not;
//! - `Backend::available()`: the ones compiled in and usable on this CPU, in the crate's
//!   documented priority (the first is what its `Default…` alias names);
//! - `Backend::is_available()`, `name()`, `Display`, and a case-insensitive `FromStr`
//!   whose error ([`UnknownBackend`]) lists the valid names;
//! - `Backend::for_strategy(Strategy)`: the crate's own, measured, answer to a
//!   [`Strategy`], with [`Select::evidence`] naming the benchmark row behind it;
//! - a way to get a working instance from a `Backend` value (the crate's dynamic type or
//!   a `Box<dyn Trait>`; the crate documents it next to its `Backend`).
//!
//! ```
//! use arsenal_core::{Select, Strategy};
//!
//! arsenal_core::backends! {
//!     /// Demo backends.
//!     domain = "demo";
//!     pub enum Backend {
//!         /// The fast one.
//!         Fast = "fast",
//!         /// The small one.
//!         Small = "small",
//!     }
//! }
//!
//! impl Select for Backend {
//!     fn available() -> Vec<Backend> {
//!         vec![Backend::Fast, Backend::Small]
//!     }
//!     fn for_strategy(strategy: Strategy) -> Backend {
//!         match strategy {
//!             Strategy::MinimalMemory => arsenal_core::prefer(&[Backend::Small]),
//!             _ => arsenal_core::prefer(&[Backend::Fast]),
//!         }
//!     }
//!     fn evidence(strategy: Strategy) -> Option<&'static str> {
//!         match strategy {
//!             Strategy::Balanced => None,
//!             Strategy::MinimalMemory => Some("demo/state/empty"),
//!             _ => Some("demo/run/large"),
//!         }
//!     }
//! }
//!
//! assert_eq!(Backend::ALL, &[Backend::Fast, Backend::Small]);
//! assert_eq!("FAST".parse::<Backend>()?, Backend::Fast);
//! assert_eq!(Backend::Small.to_string(), "small");
//! let err = "slow".parse::<Backend>().unwrap_err();
//! assert_eq!(err.to_string(), r#"unknown demo backend "slow" (expected one of: fast, small)"#);
//! assert_eq!(Backend::for_strategy(Strategy::MinimalMemory), Backend::Small);
//! assert!(Backend::Fast.is_available());
//! # Ok::<(), arsenal_core::UnknownBackend>(())
//! ```

use std::fmt;

use crate::Strategy;

/// The selection behaviour every domain's `Backend` enum implements (the enum itself,
/// its names and parsing come from [`backends!`](crate::backends)).
pub trait Select: Copy + Eq + fmt::Debug + fmt::Display + 'static {
    /// The backends compiled in and usable on this CPU, in the crate's documented
    /// priority: the first is the one its compile-time `Default…` alias names.
    fn available() -> Vec<Self>;

    /// The backend for `strategy`, always one of [`Select::available`]. Each crate
    /// documents its mapping with the benchmark row that justifies it.
    fn for_strategy(strategy: Strategy) -> Self;

    /// The benchmark row (`domain/operation/dataset`, as in the matrix report) whose
    /// measurements justify `for_strategy(strategy)`; `None` for
    /// [`Strategy::Balanced`], which is the documented compile-time priority.
    fn evidence(strategy: Strategy) -> Option<&'static str>;
}

/// What [`backends!`](crate::backends) declares for a domain's `Backend` enum, as a trait
/// (the same items are inherent on the enum): generic code such as [`check_shape`] works
/// over every domain with it.
pub trait BackendEnum:
    Copy + Eq + fmt::Debug + fmt::Display + std::str::FromStr<Err = UnknownBackend> + 'static
{
    /// Every backend the crate knows, compiled in or not.
    const ALL: &'static [Self];
    /// The names of [`ALL`](Self::ALL), in the same order.
    const NAMES: &'static [&'static str];
    /// The domain (e.g. `json`).
    const DOMAIN: &'static str;
    /// The backend's lower-case name.
    fn name(self) -> &'static str;
}

/// The selection-shape conformance check every domain crate runs in its tests: `ALL`
/// and `NAMES` agree and names are unique; `available()` is a non-empty subset of `ALL`
/// without repeats; every name parses back in lower, upper and mixed case and is what
/// `Display` writes; an unknown name's error lists every valid name; `for_strategy`
/// answers an available backend for every strategy, `Balanced` gives the first of
/// `available()` (the compile-time default), and `evidence` names a row for every
/// strategy but `Balanced`.
///
/// # Panics
/// On the first violation, with a message naming the domain and the rule.
///
/// ```
/// # arsenal_core::backends! { /// Demo.
/// # domain = "demo"; pub enum B { /// a
/// # A = "a", /// b
/// # C = "c-c" } }
/// # impl arsenal_core::Select for B {
/// #     fn available() -> Vec<B> { vec![B::C, B::A] }
/// #     fn for_strategy(s: arsenal_core::Strategy) -> B {
/// #         if s == arsenal_core::Strategy::Latency { B::A } else { B::C }
/// #     }
/// #     fn evidence(s: arsenal_core::Strategy) -> Option<&'static str> {
/// #         (s != arsenal_core::Strategy::Balanced).then_some("demo/run/x")
/// #     }
/// # }
/// arsenal_core::select::check_shape::<B>();
/// ```
pub fn check_shape<B: BackendEnum + Select>() {
    let domain = B::DOMAIN;
    assert_eq!(
        B::ALL.len(),
        B::NAMES.len(),
        "{domain}: ALL and NAMES differ in length"
    );
    for (i, &backend) in B::ALL.iter().enumerate() {
        let name = backend.name();
        assert_eq!(
            name,
            B::NAMES[i],
            "{domain}: NAMES[{i}] is not ALL[{i}]'s name"
        );
        assert_eq!(
            B::NAMES.iter().filter(|n| **n == name).count(),
            1,
            "{domain}: {name} twice"
        );
        assert_eq!(backend.to_string(), name, "{domain}: Display of {name}");
        let mixed: String = name
            .chars()
            .enumerate()
            .map(|(j, c)| {
                if j % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        for text in [name.to_owned(), name.to_uppercase(), mixed] {
            assert_eq!(
                text.parse::<B>().ok(),
                Some(backend),
                "{domain}: {text:?} does not parse"
            );
        }
    }
    let unknown = "no-such-backend"
        .parse::<B>()
        .expect_err("an unknown name parsed");
    let message = unknown.to_string();
    for name in B::NAMES {
        assert!(
            message.contains(name),
            "{domain}: error {message:?} does not list {name}"
        );
    }
    let available = B::available();
    assert!(!available.is_empty(), "{domain}: no backend available");
    for (i, backend) in available.iter().enumerate() {
        assert!(
            B::ALL.contains(backend),
            "{domain}: available {backend} not in ALL"
        );
        assert!(
            !available[..i].contains(backend),
            "{domain}: {backend} available twice"
        );
    }
    for strategy in Strategy::ALL {
        let pick = B::for_strategy(strategy);
        assert!(
            available.contains(&pick),
            "{domain}: {strategy} picks unavailable {pick}"
        );
        assert_eq!(
            B::evidence(strategy).is_some(),
            strategy != Strategy::Balanced,
            "{domain}: evidence for {strategy}"
        );
    }
    assert_eq!(
        B::for_strategy(Strategy::Balanced),
        available[0],
        "{domain}: Balanced is not the compile-time default (the first available)"
    );
}

/// The first of `order` that is [available](Select::available); when none is, the
/// first available backend at all (the crate's default).
///
/// # Panics
/// Only if the crate has no available backend at all, which its `compile_error!`
/// for a build without backends rules out.
///
/// ```
/// # arsenal_core::backends! { /// Demo.
/// # domain = "demo"; pub enum B { /// a
/// # A = "a", /// b
/// # C = "c" } }
/// # impl arsenal_core::Select for B {
/// #     fn available() -> Vec<B> { vec![B::C] }
/// #     fn for_strategy(_: arsenal_core::Strategy) -> B { B::C }
/// #     fn evidence(_: arsenal_core::Strategy) -> Option<&'static str> { None }
/// # }
/// assert_eq!(arsenal_core::prefer(&[B::A, B::C]), B::C);
/// assert_eq!(arsenal_core::prefer(&[B::A]), B::C); // A not available: the default
/// ```
pub fn prefer<B: Select>(order: &[B]) -> B {
    let available = B::available();
    order
        .iter()
        .copied()
        .find(|backend| available.contains(backend))
        .or_else(|| available.first().copied())
        .expect("a domain crate always has at least one available backend")
}

/// Error of a `Backend`'s `FromStr`: the name matched no backend of the domain. Its
/// message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownBackend {
    domain: &'static str,
    name: String,
    valid: &'static [&'static str],
}

impl UnknownBackend {
    /// An error for `name` in `domain`, whose valid names are `valid`.
    ///
    /// ```
    /// let err = arsenal_core::UnknownBackend::new("json", "rapidjson", &["simdjson", "yyjson"]);
    /// assert_eq!(err.name(), "rapidjson");
    /// ```
    pub fn new(domain: &'static str, name: &str, valid: &'static [&'static str]) -> Self {
        UnknownBackend {
            domain,
            name: name.to_owned(),
            valid,
        }
    }

    /// The name that was asked for.
    ///
    /// ```
    /// let err = arsenal_core::UnknownBackend::new("json", "x", &["yyjson"]);
    /// assert_eq!(err.name(), "x");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The domain (e.g. `json`).
    ///
    /// ```
    /// let err = arsenal_core::UnknownBackend::new("json", "x", &["yyjson"]);
    /// assert_eq!(err.domain(), "json");
    /// ```
    pub fn domain(&self) -> &'static str {
        self.domain
    }

    /// The names the domain accepts.
    ///
    /// ```
    /// let err = arsenal_core::UnknownBackend::new("json", "x", &["yyjson"]);
    /// assert_eq!(err.valid(), ["yyjson"]);
    /// ```
    pub fn valid(&self) -> &'static [&'static str] {
        self.valid
    }
}

impl fmt::Display for UnknownBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} backend {:?} (expected one of: {})",
            self.domain,
            self.name,
            self.valid.join(", ")
        )
    }
}

impl std::error::Error for UnknownBackend {}

/// Whether `given` names `name`: ASCII case and `-`/`_` are ignored.
///
/// ```
/// assert!(arsenal_core::select::name_matches("http_parser", "HTTP-Parser"));
/// assert!(!arsenal_core::select::name_matches("xxh3", "xxh32"));
/// ```
pub fn name_matches(name: &str, given: &str) -> bool {
    let norm = |b: u8| match b {
        b'_' => b'-',
        b => b.to_ascii_lowercase(),
    };
    name.len() == given.len()
        && name
            .bytes()
            .zip(given.trim().bytes())
            .all(|(a, b)| norm(a) == norm(b))
}

/// Declares a domain's `Backend` enum with the shared selection surface: `ALL`,
/// `NAMES`, `name()`, `Display`, case-insensitive `FromStr` (error: [`UnknownBackend`])
/// and, through the crate's own [`Select`] impl, `available()`, `is_available()` and
/// `for_strategy()` as inherent functions. See the [module docs](crate::select).
#[macro_export]
macro_rules! backends {
    (
        $(#[$meta:meta])*
        domain = $domain:literal;
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $vname:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every backend this crate knows, compiled in or not, in declaration order.
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The names of [`ALL`](Self::ALL), in the same order.
            pub const NAMES: &'static [&'static str] = &[ $( $vname ),+ ];

            /// The domain these backends serve (e.g. `json`).
            pub const DOMAIN: &'static str = $domain;

            /// The backend's lower-case name, as `Display` writes it and `FromStr` reads it.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $vname, )+
                }
            }

            /// The backends compiled in and usable on this CPU, in the crate's
            /// documented priority (the first is its compile-time default).
            pub fn available() -> ::std::vec::Vec<$name> {
                <$name as $crate::Select>::available()
            }

            /// Whether this backend is compiled in and usable on this CPU.
            pub fn is_available(self) -> bool {
                <$name as $crate::Select>::available().contains(&self)
            }

            /// The backend this crate picks for `strategy` (always an available one);
            /// the mapping and the benchmark rows behind it are documented on the
            /// crate's `Select` impl.
            pub fn for_strategy(strategy: $crate::Strategy) -> $name {
                <$name as $crate::Select>::for_strategy(strategy)
            }
        }

        impl $crate::select::BackendEnum for $name {
            const ALL: &'static [$name] = $name::ALL;
            const NAMES: &'static [&'static str] = $name::NAMES;
            const DOMAIN: &'static str = $domain;
            fn name(self) -> &'static str {
                $name::name(self)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownBackend;

            /// Parses a backend name, ignoring ASCII case and `-`/`_`.
            fn from_str(s: &str) -> ::std::result::Result<$name, $crate::UnknownBackend> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|backend| $crate::select::name_matches(backend.name(), s))
                    .ok_or_else(|| $crate::UnknownBackend::new($domain, s, $name::NAMES))
            }
        }
    };
}
