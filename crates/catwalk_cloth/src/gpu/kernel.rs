//! [`Kernel`]s: one compute pipeline per WGSL entry point, each with a bind group holding the
//! params uniform and only the storage buffers that entry point uses (so no kernel needs more
//! than the default eight storage buffers per stage), plus the shared pass-table group. The
//! pipelines do not depend on the buffers, so [`Pipelines`] keeps them for every cloth built
//! from another: rebuilding a runway batch then only makes buffers and bind groups.

use std::collections::HashMap;
use std::num::NonZeroU64;
use std::sync::{Arc, Mutex};

/// A compute pipeline and the bind group of the buffers it touches.
#[derive(Debug)]
pub(crate) struct Kernel {
    pub pipeline: wgpu::ComputePipeline,
    pub bind_group: wgpu::BindGroup,
}

/// The shader module, the pass-table layout and the pipelines compiled so far, by entry
/// point; clones share them.
#[derive(Debug, Clone)]
pub(crate) struct Pipelines {
    pub module: wgpu::ShaderModule,
    pub pass_layout: wgpu::BindGroupLayout,
    compiled: Arc<Mutex<HashMap<String, Compiled>>>,
}

/// An entry point's group-0 layout and pipeline.
type Compiled = (wgpu::BindGroupLayout, wgpu::ComputePipeline);

impl Pipelines {
    /// Compiles `shader` and makes the pass-table layout (dynamic offset, `pass_bytes` each).
    pub fn new(device: &wgpu::Device, shader: &str, pass_bytes: u64) -> Self {
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("cloth kernels"),
            source: wgpu::ShaderSource::Wgsl(shader.into()),
        });
        let pass_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("cloth pass"),
            entries: &[wgpu::BindGroupLayoutEntry {
                binding: 0,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Uniform,
                    has_dynamic_offset: true,
                    min_binding_size: NonZeroU64::new(pass_bytes),
                },
                count: None,
            }],
        });
        Pipelines {
            module,
            pass_layout,
            compiled: Arc::default(),
        }
    }
}

/// Builds kernels from the one shader module.
pub(crate) struct KernelBuilder<'a> {
    pub device: &'a wgpu::Device,
    pub pipelines: &'a Pipelines,
    pub params: &'a wgpu::Buffer,
}

impl KernelBuilder<'_> {
    /// A pipeline for `entry` whose group 0 holds the params uniform (binding 0) and the
    /// given storage buffers `(binding, buffer, read_only)`; the pipeline is compiled once
    /// per [`Pipelines`], the bind group made every time.
    pub fn build(&self, entry: &str, storage: &[(u32, &wgpu::Buffer, bool)]) -> Kernel {
        let mut layout_entries = vec![wgpu::BindGroupLayoutEntry {
            binding: 0,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Uniform,
                has_dynamic_offset: false,
                min_binding_size: NonZeroU64::new(crate::gpu::solver::PARAMS_BYTES),
            },
            count: None,
        }];
        let mut group_entries = vec![wgpu::BindGroupEntry {
            binding: 0,
            resource: self.params.as_entire_binding(),
        }];
        for &(binding, buffer, read_only) in storage {
            layout_entries.push(wgpu::BindGroupLayoutEntry {
                binding,
                visibility: wgpu::ShaderStages::COMPUTE,
                ty: wgpu::BindingType::Buffer {
                    ty: wgpu::BufferBindingType::Storage { read_only },
                    has_dynamic_offset: false,
                    min_binding_size: None,
                },
                count: None,
            });
            group_entries.push(wgpu::BindGroupEntry {
                binding,
                resource: buffer.as_entire_binding(),
            });
        }
        let mut compiled = self
            .pipelines
            .compiled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (layout, pipeline) = compiled
            .entry(entry.to_string())
            .or_insert_with(|| self.compile(entry, &layout_entries))
            .clone();
        drop(compiled);
        let bind_group = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(entry),
            layout: &layout,
            entries: &group_entries,
        });
        Kernel {
            pipeline,
            bind_group,
        }
    }

    /// Compiles `entry` with a group-0 layout of `entries` and the pass-table group 1.
    fn compile(&self, entry: &str, entries: &[wgpu::BindGroupLayoutEntry]) -> Compiled {
        let layout = self
            .device
            .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some(entry),
                entries,
            });
        let pipeline_layout = self
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(entry),
                bind_group_layouts: &[Some(&layout), Some(&self.pipelines.pass_layout)],
                immediate_size: 0,
            });
        let pipeline = self
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(&pipeline_layout),
                module: &self.pipelines.module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            });
        (layout, pipeline)
    }
}
