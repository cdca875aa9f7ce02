// XGBoost's C API (Debian's libxgboost-dev) for Swift; only NNBaselines imports it.
#ifndef NNPROBE_CXGBOOST_SHIM_H
#define NNPROBE_CXGBOOST_SHIM_H

#include <xgboost/c_api.h>

#endif
