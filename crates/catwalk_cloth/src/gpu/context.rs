//! [`GpuContext`]: a headless wgpu device and queue, kept apart from the compute work so that
//! a renderer can hand its own device to [`crate::gpu::GpuCloth`] instead.

use crate::gpu::GpuError;

/// A wgpu device and queue opened without a window, plus what the adapter reports about
/// itself.
#[derive(Debug, Clone)]
pub struct GpuContext {
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// Name, driver and backend of the adapter.
    pub adapter_info: wgpu::AdapterInfo,
}

impl GpuContext {
    /// Whether the adapter is a software rasteriser (Mesa lavapipe, llvmpipe), which rounds
    /// every operation as the CPU does.
    pub fn is_software(&self) -> bool {
        self.adapter_info.device_type == wgpu::DeviceType::Cpu
    }

    /// Opens the first adapter wgpu finds (honouring `WGPU_BACKEND` and the other wgpu
    /// environment variables). Returns [`GpuError::NoAdapter`] when there is none at all.
    pub fn new_headless() -> Result<Self, GpuError> {
        pollster::block_on(Self::new_headless_async())
    }

    /// The async form of [`GpuContext::new_headless`].
    pub async fn new_headless_async() -> Result<Self, GpuError> {
        let instance =
            wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle_from_env());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
            })
            .await
            .map_err(|_| GpuError::NoAdapter)?;
        let adapter_info = adapter.get_info();
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("catwalk_cloth headless"),
                ..Default::default()
            })
            .await
            .map_err(|err| GpuError::RequestDevice {
                adapter: adapter_info.name.clone(),
                reason: err.to_string(),
            })?;
        Ok(GpuContext {
            device,
            queue,
            adapter_info,
        })
    }
}
