//! The plan's `configuration`: per module, the resources' expressions, the
//! module calls (with their `source`, arguments and outputs) and the
//! provider configurations. Expressions are `{"constant_value": v}` or
//! `{"references": [...]}`; nested blocks are lists of expression maps.

use std::collections::HashMap;

use serde_json::{Map, Value};

/// One module of the configuration (the root has the empty path).
#[derive(Debug, Default)]
pub struct ModuleConfig {
    /// `type.name` (or `data.type.name`) → the resource's configuration
    /// object (`expressions`, `provider_config_key`, `count_expression`...).
    pub resources: HashMap<String, Value>,
    /// Module call name → the call object (`source`, `expressions`,
    /// `module`...).
    pub calls: HashMap<String, Value>,
    /// Output name → expression.
    pub outputs: HashMap<String, Value>,
    /// Input variable name → its declaration (`default`, `description`...).
    pub variables: HashMap<String, Value>,
}

#[derive(Debug, Default)]
pub struct Configuration {
    /// Keyed by module path (module call names from the root).
    pub modules: HashMap<Vec<String>, ModuleConfig>,
    pub providers: Map<String, Value>,
    /// Root variable values from the plan's `variables`.
    pub variables: Map<String, Value>,
}

impl Configuration {
    /// Reads the plan's `configuration` and `variables`, which it takes
    /// apart rather than copies (module calls nest: copying each call with
    /// its child module copied every nested module once per level).
    pub fn from_plan(configuration: Value, variables: Value) -> Configuration {
        let mut config = Configuration::default();
        let Value::Object(mut root) = configuration else {
            return config;
        };
        if let Some(Value::Object(p)) = root.remove("provider_config") {
            config.providers = p;
        }
        if let Value::Object(vars) = variables {
            for (name, mut v) in vars {
                if let Some(value) = v.get_mut("value") {
                    config.variables.insert(name, value.take());
                }
            }
        }
        if let Some(module) = root.remove("root_module") {
            config.add_module(Vec::new(), module, 0);
        }
        config
    }

    fn add_module(&mut self, path: Vec<String>, module: Value, depth: usize) {
        // Configurations nest only as deep as module calls do; the bound
        // keeps a hostile document from exhausting the stack.
        let Value::Object(mut module) = module else {
            return;
        };
        if depth > 64 {
            return;
        }
        let mut m = ModuleConfig::default();
        if let Some(Value::Array(resources)) = module.remove("resources") {
            for r in resources {
                if let Some(addr) = r["address"].as_str() {
                    m.resources.insert(addr.to_owned(), r);
                }
            }
        }
        if let Some(Value::Object(outputs)) = module.remove("outputs") {
            for (name, mut o) in outputs {
                let expression = o.get_mut("expression").map(Value::take);
                m.outputs.insert(name, expression.unwrap_or(Value::Null));
            }
        }
        if let Some(Value::Object(variables)) = module.remove("variables") {
            m.variables.extend(variables);
        }
        let mut children = Vec::new();
        if let Some(Value::Object(calls)) = module.remove("module_calls") {
            for (name, mut call) in calls {
                let mut child = path.clone();
                child.push(name.clone());
                // The call keeps its own arguments; its module is read as a
                // module of its own.
                let body = call
                    .as_object_mut()
                    .and_then(|c| c.remove("module"))
                    .unwrap_or(Value::Null);
                children.push((child, body));
                m.calls.insert(name, call);
            }
        }
        self.modules.insert(path, m);
        for (child, module) in children {
            self.add_module(child, module, depth + 1);
        }
    }

    /// The configuration of a resource (`local` is `type.name`).
    pub fn resource(&self, module: &[String], local: &str) -> Option<&Value> {
        self.modules.get(module)?.resources.get(local)
    }

    /// The expression for `attr` on a resource, if the configuration sets it.
    pub fn expression(&self, module: &[String], local: &str, attr: &str) -> Option<&Value> {
        self.resource(module, local)?.get("expressions")?.get(attr)
    }

    /// The module call `name` in the module at `module`.
    pub fn call(&self, module: &[String], name: &str) -> Option<&Value> {
        self.modules.get(module)?.calls.get(name)
    }

    /// The declared default of input variable `name` of the module at `module`.
    pub fn variable_default(&self, module: &[String], name: &str) -> Option<&Value> {
        self.modules
            .get(module)?
            .variables
            .get(name)?
            .get("default")
            .filter(|v| !v.is_null())
    }

    /// Whether the provider configuration of a resource declares
    /// `default_tags`; `None` when that configuration is not in the plan.
    pub fn declares_default_tags(&self, resource: &Value) -> Option<bool> {
        let key = resource["provider_config_key"].as_str()?;
        // A module's provider entry may stand for the root's inherited one:
        // default tags declared on either count.
        let found: Vec<&Value> = [key, key.rsplit(':').next().unwrap_or(key)]
            .iter()
            .filter_map(|k| self.providers.get(*k))
            .collect();
        if found.is_empty() {
            return None;
        }
        Some(found.iter().any(|p| {
            p.get("expressions")
                .and_then(|e| e.get("default_tags"))
                .is_some()
        }))
    }

    /// The region of a resource's provider when the configuration sets it
    /// as a literal. A module resource whose key is not configured inherits
    /// the root's default provider of the same name.
    pub fn region(&self, resource: &Value) -> Option<String> {
        let key = resource["provider_config_key"].as_str()?;
        let candidates = [
            key.to_owned(),
            // "module:aws" (0.12–0.13) and "module.x:aws" name an inherited provider.
            key.rsplit(':').next().unwrap_or(key).to_owned(),
        ];
        candidates.iter().find_map(|k| {
            self.providers
                .get(k)?
                .get("expressions")?
                .get("region")?
                .get("constant_value")?
                .as_str()
                .map(str::to_owned)
        })
    }
}

/// The literal of an expression, if it is one (`null` literals are not:
/// for an optional computed argument `null` means "let the provider choose").
pub fn constant(expr: &Value) -> Option<&Value> {
    expr.get("constant_value").filter(|v| !v.is_null())
}

/// The references of an expression, most specific first as Terraform lists them.
pub fn references(expr: &Value) -> Vec<&str> {
    expr.get("references")
        .and_then(Value::as_array)
        .map(|refs| refs.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn modules_calls_and_regions() {
        let plan = json!({
            "variables": {"env": {"value": "prod"}},
            "configuration": {
                "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}}},
                "root_module": {
                    "resources": [{"address": "aws_s3_bucket.a", "provider_config_key": "aws",
                        "expressions": {"bucket": {"constant_value": "a"}, "kms": {"constant_value": null}}}],
                    "module_calls": {"net": {"source": "./modules/net", "module": {
                        "resources": [{"address": "aws_vpc.v", "provider_config_key": "net:aws", "expressions": {}}],
                        "outputs": {"id": {"expression": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}}}
                    }}}
                }
            }
        });
        let c = Configuration::from_plan(plan["configuration"].clone(), plan["variables"].clone());
        assert_eq!(c.variables["env"], "prod");
        let bucket = c.resource(&[], "aws_s3_bucket.a").expect("bucket");
        assert_eq!(c.region(bucket).as_deref(), Some("eu-west-1"));
        let vpc = c.resource(&["net".to_owned()], "aws_vpc.v").expect("vpc");
        assert_eq!(
            c.region(vpc).as_deref(),
            Some("eu-west-1"),
            "inherited provider"
        );
        assert_eq!(c.call(&[], "net").expect("call")["source"], "./modules/net");
        let out = &c.modules[&vec!["net".to_owned()]].outputs["id"];
        assert_eq!(references(out), vec!["aws_vpc.v.id", "aws_vpc.v"]);
        let kms = c.expression(&[], "aws_s3_bucket.a", "kms").expect("kms");
        assert!(constant(kms).is_none(), "null literals do not resolve");
    }
}
