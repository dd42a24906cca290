"""What the chapters measure, one module per chapter: `lib.experiments.<chapter>`.

Each function runs one measurement and returns plain numbers or arrays (no drawing): the notebooks
print them and `lib.scenes` draws them. A measurement lives in the module of the chapter whose
subject it is; another chapter that needs it imports it from there.
"""
