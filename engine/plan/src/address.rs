//! Terraform resource addresses: `module.a["k"].module.b[0].aws_x.y["z"]`.

/// A parsed resource instance address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Module instances from the root, each `(name, key)` where the key is
    /// the raw index text (`0`, `"k"`) or `None`.
    pub modules: Vec<(String, Option<String>)>,
    /// `managed` or `data`.
    pub data: bool,
    pub kind: String,
    pub name: String,
    pub key: Option<String>,
}

impl Address {
    /// Parses an address. Returns `None` for text that is not one.
    pub fn parse(text: &str) -> Option<Address> {
        let segments = split(text)?;
        let mut modules = Vec::new();
        let mut i = 0;
        while i < segments.len() && segments[i].0 == "module" && segments[i].1.is_none() {
            let (name, key) = segments.get(i + 1)?.clone();
            modules.push((name, key));
            i += 2;
        }
        let mut data = false;
        if segments
            .get(i)
            .is_some_and(|s| s.0 == "data" && s.1.is_none())
        {
            data = true;
            i += 1;
        }
        let (kind, kind_key) = segments.get(i)?.clone();
        let (name, key) = segments.get(i + 1)?.clone();
        if kind_key.is_some() || i + 2 != segments.len() {
            return None;
        }
        Some(Address {
            modules,
            data,
            kind,
            name,
            key,
        })
    }

    /// The module instance prefix, `module.a["k"].module.b` (empty at root).
    pub fn module_instance(&self) -> String {
        module_instance(&self.modules)
    }

    /// Module names without instance keys: the configuration's view.
    pub fn module_path(&self) -> Vec<String> {
        self.modules.iter().map(|(n, _)| n.clone()).collect()
    }

    /// `type.name` without module or key.
    pub fn local(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.kind, self.name)
        } else {
            format!("{}.{}", self.kind, self.name)
        }
    }
}

/// Renders module instances as Terraform writes them.
pub fn module_instance(modules: &[(String, Option<String>)]) -> String {
    let parts: Vec<String> = modules
        .iter()
        .map(|(n, k)| match k {
            Some(k) => format!("module.{n}[{k}]"),
            None => format!("module.{n}"),
        })
        .collect();
    parts.join(".")
}

/// Splits on `.` outside brackets and quotes; each segment with its
/// trailing `[key]`, if any. Further traversal (`.id`, `[0]` after the key)
/// ends the address; [`split_reference`] handles those.
fn split(text: &str) -> Option<Vec<(String, Option<String>)>> {
    let (segments, rest) = split_reference(text);
    if !rest.is_empty() {
        return None;
    }
    Some(segments)
}

/// Splits a reference like `aws_s3_bucket.b["k"].id` into `(name, key)`
/// segments; a segment has at most one key. Returns the segments and any
/// text left over that could not be read (e.g. a second index).
pub fn split_reference(text: &str) -> (Vec<(String, Option<String>)>, &str) {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
            i += 1;
        }
        let name = &text[start..i];
        if name.is_empty() {
            return (out, &text[start..]);
        }
        let mut key = None;
        if i < bytes.len() && bytes[i] == b'[' {
            let key_start = i + 1;
            let mut j = key_start;
            let mut in_string = false;
            while j < bytes.len() {
                match bytes[j] {
                    b'\\' if in_string => j += 1,
                    b'"' => in_string = !in_string,
                    b']' if !in_string => break,
                    _ => {}
                }
                j += 1;
            }
            if j >= bytes.len() {
                return (out, &text[start..]);
            }
            key = Some(text[key_start..j].to_owned());
            i = j + 1;
        }
        out.push((name.to_owned(), key));
        if i < bytes.len() {
            if bytes[i] != b'.' {
                return (out, &text[i..]);
            }
            i += 1;
        }
    }
    (out, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_and_module_addresses() {
        let a = Address::parse("aws_s3_bucket.logs").expect("root");
        assert!(a.modules.is_empty());
        assert_eq!(
            (a.kind.as_str(), a.name.as_str(), a.key),
            ("aws_s3_bucket", "logs", None)
        );

        let a = Address::parse("module.a.module.b[0].aws_instance.web[\"x.1\"]").expect("nested");
        assert_eq!(
            a.modules,
            vec![
                ("a".to_owned(), None),
                ("b".to_owned(), Some("0".to_owned()))
            ]
        );
        assert_eq!(a.key.as_deref(), Some("\"x.1\""));
        assert_eq!(a.module_instance(), "module.a.module.b[0]");
        assert_eq!(a.module_path(), vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!(a.local(), "aws_instance.web");
    }

    #[test]
    fn for_each_keys_with_dots_and_brackets() {
        let a = Address::parse("module.sg[\"bad.example]\"].aws_security_group.bad").expect("key");
        assert_eq!(a.modules[0].1.as_deref(), Some("\"bad.example]\""));
        assert_eq!(a.kind, "aws_security_group");
    }

    #[test]
    fn data_sources_and_garbage() {
        let d = Address::parse("module.m.data.aws_iam_policy_document.p").expect("data");
        assert!(d.data);
        assert!(Address::parse("aws_x").is_none());
        assert!(Address::parse("aws_x.y.z").is_none());
        assert!(Address::parse("aws_x.y[0").is_none());
        assert!(Address::parse("").is_none());
    }

    #[test]
    fn references_split_with_traversal() {
        let (segs, rest) = split_reference("aws_s3_bucket.b[\"k\"].id");
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[1], ("b".to_owned(), Some("\"k\"".to_owned())));
        assert_eq!(rest, "");
    }
}
