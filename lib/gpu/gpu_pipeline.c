/* Pipelines: one compute pipeline per op, created on first use from the embedded SPIR-V,
 * through a VkPipelineCache persisted under $XDG_CACHE_HOME/weft (WEFT_GPU_CACHE=0: not
 * persisted). The layout is the op contract: binding i = tensor i (storage buffer), the
 * parameter struct as the push constant block. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gpu/gpu_internal.h"
#include "gpu/gpu_shaders.h"

#define CACHE_MAX_SIZE ((size_t)64 << 20)

/* ---- the persisted cache ---- */

static char *cache_file_path(const GpuContext *g)
{
    const char *v = getenv("WEFT_GPU_CACHE");
    if (v && !strcmp(v, "0"))
        return NULL;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char dir[4096];
    if (xdg && *xdg)
        snprintf(dir, sizeof(dir), "%s", xdg);
    else if (home && *home)
        snprintf(dir, sizeof(dir), "%s/.cache", home);
    else
        return NULL;
    size_t n = strlen(dir) + 80;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/weft/pipelines-%04x-%04x-%08x.bin", dir, g->props.vendorID,
                 g->props.deviceID, g->props.driverVersion);
    return path;
}

/* mkdir -p of the directory part of `path`. */
static void make_parent_dirs(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return;
    for (char *p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(copy, 0755);
        *p = '/';
    }
    free(copy);
}

/* Reads the cache file; returns NULL (and size 0) when it is absent, too large, or made by
 * another device or driver (drivers must reject those too; we do not rely on it). */
static void *read_cache_file(const GpuContext *g, const char *path, size_t *size)
{
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    void *data = NULL;
    long len = 0;
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 32 || (size_t)len > CACHE_MAX_SIZE ||
        fseek(f, 0, SEEK_SET) != 0)
        goto done;
    if (!(data = malloc((size_t)len)))
        goto done;
    if (fread(data, 1, (size_t)len, f) != (size_t)len)
        goto reject;
    /* Header (Vulkan spec, "Pipeline Cache"): length, version, vendor, device, UUID. */
    uint32_t header[4];
    memcpy(header, data, sizeof(header));
    if (header[0] < 32 || header[1] != VK_PIPELINE_CACHE_HEADER_VERSION_ONE ||
        header[2] != g->props.vendorID || header[3] != g->props.deviceID ||
        memcmp((char *)data + 16, g->props.pipelineCacheUUID, VK_UUID_SIZE) != 0)
        goto reject;
    *size = (size_t)len;
    goto done;
reject:
    free(data);
    data = NULL;
done:
    fclose(f);
    return data;
}

static void save_cache(GpuContext *g)
{
    if (!g->cache || !g->cache_path || !g->cache_dirty)
        return;
    size_t size = 0;
    void *data = NULL;
    if (vkGetPipelineCacheData(g->device, g->cache, &size, NULL) != VK_SUCCESS || !size ||
        !(data = malloc(size)) ||
        vkGetPipelineCacheData(g->device, g->cache, &size, data) != VK_SUCCESS) {
        free(data);
        return;
    }
    /* Write beside and rename, so a concurrent reader never sees half a file. */
    size_t n = strlen(g->cache_path) + 32;
    char *tmp = malloc(n);
    if (tmp) {
        snprintf(tmp, n, "%s.%ld.tmp", g->cache_path, (long)getpid());
        make_parent_dirs(g->cache_path);
        FILE *f = fopen(tmp, "wb");
        int ok = f && fwrite(data, 1, size, f) == size;
        if (f && fclose(f) != 0)
            ok = 0;
        if (ok && rename(tmp, g->cache_path) == 0)
            log_debug(g->log, "vulkan: saved pipeline cache %s (%zu bytes)", g->cache_path, size);
        else
            remove(tmp);
        free(tmp);
    }
    free(data);
}

int gpu_pipelines_init(GpuContext *g)
{
    g->cache_path = cache_file_path(g);
    size_t size = 0;
    void *data = g->cache_path ? read_cache_file(g, g->cache_path, &size) : NULL;
    VkPipelineCacheCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO,
        .initialDataSize = size,
        .pInitialData = data,
    };
    VkResult r = vkCreatePipelineCache(g->device, &info, NULL, &g->cache);
    if (r != VK_SUCCESS && data) {
        info.initialDataSize = 0;
        info.pInitialData = NULL;
        r = vkCreatePipelineCache(g->device, &info, NULL, &g->cache);
    }
    free(data);
    if (r != VK_SUCCESS)
        g->cache = VK_NULL_HANDLE; /* pipelines still work without a cache */
    if (size)
        log_debug(g->log, "vulkan: loaded pipeline cache %s (%zu bytes)", g->cache_path, size);
    return 0;
}

/* ---- pipelines ---- */

/* The local size a SPIR-V module declares (OpExecutionMode %main LocalSize x y z), so a
 * shader that disagrees with its op's `local` is caught before it computes wrong results. */
static int spirv_local_size(const GpuShader *s, uint32_t local[3])
{
    const uint32_t *w = s->code;
    size_t n = s->size / 4;
    enum { OP_EXECUTION_MODE = 16, MODE_LOCAL_SIZE = 17 };
    for (size_t i = 5; i < n;) {
        uint32_t count = w[i] >> 16, opcode = w[i] & 0xffff;
        if (!count || i + count > n)
            return -EINVAL;
        if (opcode == OP_EXECUTION_MODE && count == 6 && w[i + 2] == MODE_LOCAL_SIZE) {
            memcpy(local, &w[i + 3], 3 * sizeof(uint32_t));
            return 0;
        }
        i += count;
    }
    return -EINVAL;
}

static void destroy_pipeline(GpuContext *g, GpuPipeline *p)
{
    if (p->pipeline)
        vkDestroyPipeline(g->device, p->pipeline, NULL);
    if (p->layout)
        vkDestroyPipelineLayout(g->device, p->layout, NULL);
    if (p->set_layout)
        vkDestroyDescriptorSetLayout(g->device, p->set_layout, NULL);
    p->pipeline = VK_NULL_HANDLE;
    p->layout = VK_NULL_HANDLE;
    p->set_layout = VK_NULL_HANDLE;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int create_pipeline(GpuContext *g, GpuPipeline *p)
{
    const double start = now_ms();
    const OpInfo *op = p->op;
    const GpuShader *shader = gpu_shader_find(op->name);
    if (!shader) {
        log_error(g->log,
                  "vulkan: op '%s' has no shader in this build (shaders/%s.comp); "
                  "use the CPU device for it",
                  op->name, op->name);
        return -ENOSYS;
    }
    uint32_t local[3];
    if (spirv_local_size(shader, local) < 0 || memcmp(local, op->local, sizeof(local)) != 0) {
        log_error(g->log, "vulkan: shader '%s' local size does not match its op table entry",
                  op->name);
        return -EINVAL;
    }
    if (op->num_tensors < 1 || op->num_tensors > OP_MAX_TENSORS || op->params_size % 4 ||
        op->params_size > g->props.limits.maxPushConstantsSize ||
        local[0] * local[1] * local[2] > g->props.limits.maxComputeWorkGroupInvocations) {
        log_error(g->log,
                  "vulkan: op '%s' does not fit this device (tensors, push constants "
                  "or local size)",
                  op->name);
        return -ENOSYS;
    }

    VkDescriptorSetLayoutBinding bindings[OP_MAX_TENSORS];
    for (int i = 0; i < op->num_tensors; i++)
        bindings[i] = (VkDescriptorSetLayoutBinding){
            .binding = (uint32_t)i,
            .descriptorType = op->texel_tensors & (1u << i)
                                  ? VK_DESCRIPTOR_TYPE_UNIFORM_TEXEL_BUFFER
                                  : VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
            .descriptorCount = 1,
            .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
        };
    VkDescriptorSetLayoutCreateInfo set_info = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .flags =
            g->push_descriptor_set ? VK_DESCRIPTOR_SET_LAYOUT_CREATE_PUSH_DESCRIPTOR_BIT_KHR : 0,
        .bindingCount = (uint32_t)op->num_tensors,
        .pBindings = bindings,
    };
    VkShaderModule module = VK_NULL_HANDLE;
    int err = gpu_check(g, vkCreateDescriptorSetLayout(g->device, &set_info, NULL, &p->set_layout),
                        "vkCreateDescriptorSetLayout");
    if (err < 0)
        goto fail;
    VkPushConstantRange range = {
        .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT,
        .offset = 0,
        .size = (uint32_t)op->params_size,
    };
    VkPipelineLayoutCreateInfo layout_info = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &p->set_layout,
        .pushConstantRangeCount = op->params_size ? 1 : 0,
        .pPushConstantRanges = &range,
    };
    if ((err = gpu_check(g, vkCreatePipelineLayout(g->device, &layout_info, NULL, &p->layout),
                         "vkCreatePipelineLayout")) < 0)
        goto fail;
    VkShaderModuleCreateInfo module_info = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = shader->size,
        .pCode = shader->code,
    };
    if ((err = gpu_check(g, vkCreateShaderModule(g->device, &module_info, NULL, &module),
                         "vkCreateShaderModule")) < 0)
        goto fail;
    VkComputePipelineCreateInfo info = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage =
            {
                .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                .module = module,
                .pName = "main",
            },
        .layout = p->layout,
    };
    if ((err = gpu_check(
             g, vkCreateComputePipelines(g->device, g->cache, 1, &info, NULL, &p->pipeline),
             "vkCreateComputePipelines")) < 0)
        goto fail;
    vkDestroyShaderModule(g->device, module, NULL);
    g->cache_dirty = 1;
    log_verbose(g->log, "vulkan: created pipeline '%s' in %.1f ms", op->name, now_ms() - start);
    return 0;
fail:
    if (module)
        vkDestroyShaderModule(g->device, module, NULL);
    destroy_pipeline(g, p);
    return err;
}

int gpu_pipeline_get(GpuContext *g, const OpInfo *op, GpuPipeline **out)
{
    for (int i = 0; i < g->num_pipelines; i++) {
        if (g->pipelines[i].op == op) {
            *out = &g->pipelines[i];
            return g->pipelines[i].error;
        }
    }
    if (g->num_pipelines == g->max_pipelines) {
        int max = g->max_pipelines ? 2 * g->max_pipelines : 32;
        GpuPipeline *grown = realloc(g->pipelines, (size_t)max * sizeof(*grown));
        if (!grown)
            return -ENOMEM;
        g->pipelines = grown;
        g->max_pipelines = max;
    }
    GpuPipeline *p = &g->pipelines[g->num_pipelines];
    memset(p, 0, sizeof(*p));
    p->op = op;
    p->error = create_pipeline(g, p);
    if (p->error == -ENOMEM)
        return p->error; /* not kept: a later call may succeed */
    g->num_pipelines++;
    *out = p;
    return p->error;
}

void gpu_pipelines_uninit(GpuContext *g)
{
    if (!g->device)
        return;
    save_cache(g);
    for (int i = 0; i < g->num_pipelines; i++)
        destroy_pipeline(g, &g->pipelines[i]);
    free(g->pipelines);
    g->pipelines = NULL;
    g->num_pipelines = g->max_pipelines = 0;
    if (g->cache)
        vkDestroyPipelineCache(g->device, g->cache, NULL);
    g->cache = VK_NULL_HANDLE;
    free(g->cache_path);
    g->cache_path = NULL;
}
