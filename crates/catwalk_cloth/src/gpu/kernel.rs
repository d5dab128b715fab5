//! [`Kernel`]s: one compute pipeline per WGSL entry point, each with a bind group holding the
//! params uniform and only the storage buffers that entry point uses (so no kernel needs more
//! than the default eight storage buffers per stage), plus the shared pass-table group.

use std::num::NonZeroU64;

/// A compute pipeline and the bind group of the buffers it touches.
#[derive(Debug)]
pub(crate) struct Kernel {
    pub pipeline: wgpu::ComputePipeline,
    pub bind_group: wgpu::BindGroup,
}

/// Builds kernels from the one shader module.
pub(crate) struct KernelBuilder<'a> {
    pub device: &'a wgpu::Device,
    pub module: &'a wgpu::ShaderModule,
    pub pass_layout: &'a wgpu::BindGroupLayout,
    pub params: &'a wgpu::Buffer,
}

impl KernelBuilder<'_> {
    /// A pipeline for `entry` whose group 0 holds the params uniform (binding 0) and the
    /// given storage buffers `(binding, buffer, read_only)`.
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
        let layout = self
            .device
            .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                label: Some(entry),
                entries: &layout_entries,
            });
        let pipeline_layout = self
            .device
            .create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
                label: Some(entry),
                bind_group_layouts: &[Some(&layout), Some(self.pass_layout)],
                immediate_size: 0,
            });
        let pipeline = self
            .device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: Some(&pipeline_layout),
                module: self.module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            });
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
}
