//! Body regions (torso, arms, legs, neck, head), from the bone that weighs most on each
//! vertex. Measurements slice only the regions a tape goes around.

/// Coarse body region of a vertex or bone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyRegion {
    /// Pelvis, spine, chest, breasts, clavicles.
    Torso,
    /// Neck bones.
    Neck,
    /// Head and face.
    Head,
    /// Left arm from the shoulder down (MakeHuman `.L`, the body's left, +X).
    LeftArm,
    /// Right arm.
    RightArm,
    /// Left leg from the hip joint down.
    LeftLeg,
    /// Right leg.
    RightLeg,
}

impl BodyRegion {
    /// The region a MakeHuman bone name belongs to.
    pub fn of_bone(name: &str) -> Self {
        let left = name.ends_with(".L");
        let right = name.ends_with(".R");
        let side = |l: Self, r: Self, other: Self| {
            if left {
                l
            } else if right {
                r
            } else {
                other
            }
        };
        const ARM: [&str; 7] = [
            "shoulder",
            "upperarm",
            "lowerarm",
            "wrist",
            "finger",
            "metacarpal",
            "palm",
        ];
        const LEG: [&str; 4] = ["upperleg", "lowerleg", "foot", "toe"];
        if ARM.iter().any(|p| name.starts_with(p)) {
            return side(Self::LeftArm, Self::RightArm, Self::Torso);
        }
        if LEG.iter().any(|p| name.starts_with(p)) {
            return side(Self::LeftLeg, Self::RightLeg, Self::Torso);
        }
        if name.starts_with("neck") {
            return Self::Neck;
        }
        const TORSO: [&str; 5] = ["root", "spine", "pelvis", "breast", "clavicle"];
        if TORSO.iter().any(|p| name.starts_with(p)) {
            return Self::Torso;
        }
        Self::Head
    }

    /// Whether this is one of the two legs.
    pub fn is_leg(self) -> bool {
        matches!(self, Self::LeftLeg | Self::RightLeg)
    }
}
