// The element type of nn activation buffers. Shaders built with -DNN_F16 (the <name>_f16 ops,
// shaders/meson.build; OpInfo.half_tensors) keep activations as fp16 in storage buffers and
// compute in fp32: NN_T is the buffer element type, NN_LOAD / NN_STORE convert on access.
// Only GL_EXT_shader_16bit_storage is needed (the storageBuffer16BitAccess feature), not fp16
// arithmetic. fp16 texel buffers need nothing here: a R16G16B16A16_SFLOAT view fetches vec4.
#ifdef NN_F16
#extension GL_EXT_shader_16bit_storage : require
#define NN_T float16_t
#define NN_LOAD(v) float(v)
#define NN_STORE(v) float16_t(v)
#else
#define NN_T float
#define NN_LOAD(v) (v)
#define NN_STORE(v) (v)
#endif
