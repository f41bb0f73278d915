//! `BuildError`: what a model's builder says when a required field was not set.

use std::fmt;

/// A builder was asked to build a value without one of its required fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The type being built.
    pub type_name: &'static str,
    /// The wire name of the field that was not set.
    pub field: &'static str,
}

impl BuildError {
    /// The error for `field` of `type_name`.
    pub fn missing(type_name: &'static str, field: &'static str) -> Self {
        BuildError { type_name, field }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the required field `{}` was not set",
            self.type_name, self.field
        )
    }
}

impl std::error::Error for BuildError {}

/// Chained setters: `name(field): ArgumentType => argument => stored value;` becomes
/// `pub fn name(mut self, argument: ArgumentType) -> Self` that stores the value in `field`.
/// Generated models use it so that a setter costs one line of generated code.
// A crate without request types (or with exhaustive ones) has no setters.
#[doc(hidden)]
#[macro_export]
macro_rules! __setters {
    ($( $wire:literal $name:ident($field:ident): $arg:ty => $value:ident => $expr:expr; )*) => {
        $(
            #[doc = concat!("Sets `", $wire, "`.")]
            pub fn $name(mut self, $value: $arg) -> Self {
                self.$field = $expr;
                self
            }
        )*
    };
}

/// A builder of a model that only responses carry: `T::builder()`, the builder type with its
/// fields, and a `build()` that fails with the first required field left unset. The setters
/// come from [`setters!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __model_builder {
    (
        $model:ident => $builder:ident {
            required { $( $rfield:ident: $rty:ty = $rwire:literal, )* }
            optional { $( $ofield:ident: $oty:ty, )* }
        }
    ) => {
        impl $model {
            #[doc = concat!("A builder of [`", stringify!($model), "`]: a setter per field, then `build()`. For tests and test doubles; the client itself decodes these from responses.")]
            pub fn builder() -> $builder {
                <$builder as Default>::default()
            }
        }

        #[doc = concat!("Builds a [`", stringify!($model), "`]. A required field left unset makes `build()` fail; a field the API adds later is one more setter.")]
        #[derive(Debug, Clone, Default)]
        #[must_use = "a builder does nothing until `build` is called"]
        pub struct $builder {
            $( $rfield: Option<$rty>, )*
            $( $ofield: $oty, )*
        }

        impl $builder {
            #[doc = concat!("The [`", stringify!($model), "`], or the first required field that was not set.")]
            pub fn build(self) -> Result<$model, $crate::BuildError> {
                Ok($model {
                    $( $rfield: self.$rfield.ok_or($crate::BuildError::missing(stringify!($model), $rwire))?, )*
                    $( $ofield: self.$ofield, )*
                })
            }
        }
    };
}
