# The chapters of the course, in order. Each name lines up across folders:
# chapters/<name>/main.cpp, exercises/<name>.cpp, solutions/<name>.cpp,
# tests/<name>_test.cpp and docs/<name>.md.
set(NN_CHAPTERS
    ch01_matrix_ops
    ch02_softmax_regression
    ch03_hidden_layers
    ch04_backprop
    ch05_dropout
    ch06_momentum
    ch07_feature_engineering
    ch08_mnist_classifier
)

# nn_chapter_number(ch02_softmax_regression out) sets out to 2.
function(nn_chapter_number chapter out)
    string(REGEX MATCH "^ch([0-9][0-9])_" _ ${chapter})
    math(EXPR number "${CMAKE_MATCH_1}")
    set(${out} ${number} PARENT_SCOPE)
endfunction()

# Accept "1;2", "1,2" and "01 02" for NN_USE_REFERENCE; keep plain numbers.
string(REGEX REPLACE "[, ]+" ";" _nn_use_reference "${NN_USE_REFERENCE}")
set(NN_USE_REFERENCE "")
foreach(n IN LISTS _nn_use_reference)
    if(NOT n MATCHES "^[0-9]+$")
        message(FATAL_ERROR "NN_USE_REFERENCE: '${n}' is not a chapter number (expected e.g. \"1;2;3\")")
    endif()
    math(EXPR n "${n}")
    list(APPEND NN_USE_REFERENCE ${n})
endforeach()
