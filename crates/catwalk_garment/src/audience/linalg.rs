//! The little dense linear algebra the preference model needs: a symmetric positive
//! definite matrix, its Cholesky factor and triangular solves.

/// A dense square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct SquareMatrix {
    n: usize,
    data: Vec<f64>,
}

impl SquareMatrix {
    /// `value × identity` of size `n`.
    pub fn scaled_identity(n: usize, value: f64) -> Self {
        let mut m = Self {
            n,
            data: vec![0.0; n * n],
        };
        for i in 0..n {
            m.data[i * n + i] = value;
        }
        m
    }

    /// Size.
    pub fn size(&self) -> usize {
        self.n
    }

    /// Entry `(i, j)`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.n + j]
    }

    /// Adds `weight × x xᵀ`.
    pub fn add_outer(&mut self, x: &[f64], weight: f64) {
        for i in 0..self.n {
            for j in 0..self.n {
                self.data[i * self.n + j] += weight * x[i] * x[j];
            }
        }
    }

    /// The lower-triangular `L` with `L Lᵀ = self`, or `None` if the matrix is not
    /// positive definite.
    pub fn cholesky(&self) -> Option<Cholesky> {
        let n = self.n;
        let mut l = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let mut sum = self.get(i, j);
                for k in 0..j {
                    sum -= l[i * n + k] * l[j * n + k];
                }
                if i == j {
                    if sum <= 0.0 || !sum.is_finite() {
                        return None;
                    }
                    l[i * n + i] = sum.sqrt();
                } else {
                    l[i * n + j] = sum / l[j * n + j];
                }
            }
        }
        Some(Cholesky { n, l })
    }
}

/// A Cholesky factor `L` (lower triangular).
#[derive(Debug, Clone, PartialEq)]
pub struct Cholesky {
    n: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// Solves `L y = b`.
    pub fn forward(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut y = vec![0.0; n];
        for i in 0..n {
            let row = &self.l[i * n..i * n + i];
            let dot: f64 = row.iter().zip(&y[..i]).map(|(l, y)| l * y).sum();
            y[i] = (b[i] - dot) / self.l[i * n + i];
        }
        y
    }

    /// Solves `Lᵀ x = y`.
    pub fn backward(&self, y: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            let dot: f64 = (i + 1..n).map(|k| self.l[k * n + i] * x[k]).sum();
            x[i] = (y[i] - dot) / self.l[i * n + i];
        }
        x
    }

    /// Solves `L Lᵀ x = b`.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        self.backward(&self.forward(b))
    }

    /// `bᵀ (L Lᵀ)⁻¹ b`, computed as `|L⁻¹ b|²`.
    pub fn inverse_quadratic_form(&self, b: &[f64]) -> f64 {
        self.forward(b).iter().map(|v| v * v).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system() {
        let mut a = SquareMatrix::scaled_identity(3, 1.0);
        a.add_outer(&[1.0, 2.0, 3.0], 1.0);
        let chol = a.cholesky().expect("positive definite");
        let x = chol.solve(&[1.0, 0.0, -1.0]);
        // Check A x = b.
        for (i, b) in [1.0, 0.0, -1.0].iter().enumerate() {
            let ax: f64 = (0..3).map(|j| a.get(i, j) * x[j]).sum();
            assert!((ax - b).abs() < 1e-12);
        }
        let q = chol.inverse_quadratic_form(&[1.0, 0.0, -1.0]);
        let direct: f64 = [1.0, 0.0, -1.0].iter().zip(&x).map(|(b, x)| b * x).sum();
        assert!((q - direct).abs() < 1e-12);
    }

    #[test]
    fn indefinite_matrix_has_no_factor() {
        let a = SquareMatrix::scaled_identity(2, -1.0);
        assert!(a.cholesky().is_none());
        assert_eq!(a.size(), 2);
    }
}
